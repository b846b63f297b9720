// kdelta report: closing a patch's detail view goes back to the filtered table, at the
// patch's row. Sorting and filtering are the pages' shared script's (page/tables.js), which
// runs first and keeps the filter's URL fragment in the form's data-hash.
(function () {
  'use strict';
  var form = document.getElementById('filters');
  if (!form) return;

  function close(link) {
    var filterHash = form.getAttribute('data-hash') || '';
    var row = document.getElementById(link.getAttribute('href').slice(1));
    if (!filterHash) return false;
    location.hash = filterHash;
    if (row && !row.hidden) row.scrollIntoView({ block: 'center' });
    return true;
  }
  document.addEventListener('click', function (ev) {
    var link = ev.target.closest && ev.target.closest('a[data-close]');
    if (link && close(link)) ev.preventDefault();
  });
  document.addEventListener('keydown', function (ev) {
    if (ev.key !== 'Escape' || !/^#patch-\d+$/.test(location.hash)) return;
    var open = document.querySelector(location.hash + ' a[data-close]');
    if (open && !close(open)) location.hash = open.getAttribute('href');
  });
})();
