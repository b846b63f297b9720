// kdelta report: filter the patch table, keep the filter in the URL
// (#q=blk&status=upstream,obsolete), close detail views back to it. Sorting is the pages'
// shared script's (page/tables.js), which runs first. Holds no data: reads the rows' data-
// attributes.
(function () {
  'use strict';
  var table = document.getElementById('patch-table');
  var form = document.getElementById('filters');
  if (!table || !form) return;
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var texts = rows.map(function (r) { return r.getAttribute('data-search') || ''; });
  var states = rows.map(function (r) { return r.getAttribute('data-status') || ''; });
  var query = document.getElementById('filter-q');
  var boxes = Array.prototype.slice.call(form.querySelectorAll('input[name=status]'));
  var count = document.getElementById('filter-count');
  var filterHash = '';

  function decode(text) {
    try { return decodeURIComponent(text.replace(/\+/g, ' ')); } catch (err) { return text; }
  }

  // The filter a URL fragment states, or null when it states none (#patch-3, #summary).
  function parse(hash) {
    var state = { q: '', status: [] };
    var found = false;
    hash.replace(/^#/, '').split('&').forEach(function (part) {
      var eq = part.indexOf('=');
      if (eq < 0) return;
      var key = part.slice(0, eq);
      var value = decode(part.slice(eq + 1));
      if (key === 'q') {
        state.q = value;
        found = true;
      } else if (key === 'status') {
        state.status = value.split(',').map(function (s) { return s.trim(); }).filter(Boolean);
        found = true;
      }
    });
    return found ? state : null;
  }

  function format(state) {
    var parts = [];
    if (state.q) parts.push('q=' + encodeURIComponent(state.q));
    if (state.status.length) parts.push('status=' + state.status.map(encodeURIComponent).join(','));
    return parts.join('&');
  }

  function current() {
    return {
      q: query.value,
      status: boxes.filter(function (b) { return b.checked; }).map(function (b) { return b.value; })
    };
  }

  function apply(state) {
    var terms = state.q.toLowerCase().split(/\s+/).filter(Boolean);
    var wanted = state.status;
    var shown = 0;
    for (var i = 0; i < rows.length; i++) {
      var ok = wanted.length === 0 || wanted.indexOf(states[i]) >= 0;
      for (var t = 0; ok && t < terms.length; t++) ok = texts[i].indexOf(terms[t]) >= 0;
      if (ok) shown++;
      if (rows[i].hidden === ok) rows[i].hidden = !ok;
    }
    count.textContent = shown + ' of ' + rows.length + ' patches';
  }

  function show(state) {
    query.value = state.q;
    boxes.forEach(function (b) { b.checked = state.status.indexOf(b.value) >= 0; });
    filterHash = format(state);
    apply(state);
  }

  function changed() {
    var state = current();
    apply(state);
    filterHash = format(state);
    var url = location.pathname + location.search + (filterHash ? '#' + filterHash : '');
    history.replaceState(null, '', url);
  }

  form.addEventListener('input', changed);
  form.addEventListener('change', changed);
  form.addEventListener('submit', function (ev) { ev.preventDefault(); });
  form.addEventListener('reset', function () { setTimeout(changed, 0); });

  window.addEventListener('hashchange', function () {
    var state = parse(location.hash);
    if (state) show(state);
  });

  // Closing a detail view goes back to the filtered view, at the patch's row.
  function close(link) {
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

  var initial = parse(location.hash);
  if (initial) show(initial); else apply(current());
})();
