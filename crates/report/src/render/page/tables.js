// kdelta pages (report, compare, history): sort a table by a header's button, and filter the
// table the form #filters names in data-table (default #filter-table), the filter kept in the
// URL (#q=xen&carried=common) and in the form's data-hash. Holds no data: a form control
// named N keeps the rows whose data-N holds one of its values (q: the rows whose data-search
// holds every word).
(function () {
  'use strict';
  function list(items) { return Array.prototype.slice.call(items); }

  // Sorting: a header's button sorts by its column; again, the other way round.
  var collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
  function key(row, col, numeric) {
    var cell = row.cells[col];
    if (!cell) return numeric ? -Infinity : '';
    var text = cell.hasAttribute('data-v') ? cell.getAttribute('data-v') : cell.textContent;
    if (!numeric) return text.trim();
    var value = parseFloat(text);
    return isNaN(value) ? -Infinity : value;
  }
  function sort(button) {
    var th = button.parentNode;
    var table = th.closest('table');
    var body = table.tBodies[0];
    var col = Number(button.getAttribute('data-col'));
    var numeric = th.getAttribute('data-type') === 'num';
    var down = th.getAttribute('aria-sort') === 'ascending';
    list(table.tHead.rows[0].cells).forEach(function (c) { c.removeAttribute('aria-sort'); });
    th.setAttribute('aria-sort', down ? 'descending' : 'ascending');
    var keyed = list(body.rows).map(function (row, i) {
      return { row: row, key: key(row, col, numeric), i: i };
    });
    keyed.sort(function (a, b) {
      var d = !numeric ? collator.compare(a.key, b.key) : a.key === b.key ? 0 : a.key < b.key ? -1 : 1;
      if (d === 0) return a.i - b.i;
      return down ? -d : d;
    });
    var fragment = document.createDocumentFragment();
    keyed.forEach(function (k) { fragment.appendChild(k.row); });
    body.appendChild(fragment);
  }
  document.addEventListener('click', function (ev) {
    var button = ev.target.closest && ev.target.closest('th button[data-col]');
    if (button) sort(button);
  });

  var form = document.getElementById('filters');
  var table = form && document.getElementById(form.getAttribute('data-table') || 'filter-table');
  if (!table || !form) return;
  var rows = list(table.tBodies[0].rows);
  var controls = list(form.elements).filter(function (el) { return el.name; });
  var names = [];
  controls.forEach(function (el) { if (names.indexOf(el.name) < 0) names.push(el.name); });
  var count = document.getElementById('filter-count');
  var noun = count ? count.getAttribute('data-noun') || 'rows' : '';
  var attrs = rows.map(function (row) {
    var own = {};
    names.forEach(function (n) {
      var value = row.getAttribute(n === 'q' ? 'data-search' : 'data-' + n) || '';
      own[n] = n === 'q' ? value.toLowerCase() : value.split(' ');
    });
    return own;
  });

  function decode(text) {
    try { return decodeURIComponent(text.replace(/\+/g, ' ')); } catch (err) { return text; }
  }

  // The values a control states: its own, or its defaults.
  function values(initial) {
    var state = {};
    names.forEach(function (n) { state[n] = []; });
    controls.forEach(function (el) {
      if (el.type === 'checkbox' || el.type === 'radio') {
        if (initial ? el.defaultChecked : el.checked) state[el.name].push(el.value);
      } else if (el.tagName === 'SELECT') {
        var chosen = list(el.options).filter(function (o) { return initial ? o.defaultSelected : o.selected; });
        var value = chosen.length ? chosen[0].value : el.options.length ? el.options[0].value : '';
        if (value) state[el.name].push(value);
      } else {
        var text = initial ? el.defaultValue : el.value;
        if (text) state[el.name].push(text);
      }
    });
    return state;
  }

  // The filter a URL fragment states, or null when it states none (#summary).
  function parse(hash) {
    var state = values(true);
    var found = false;
    hash.replace(/^#/, '').split('&').forEach(function (part) {
      var eq = part.indexOf('=');
      if (eq < 0) return;
      var name = decode(part.slice(0, eq));
      if (names.indexOf(name) < 0) return;
      var value = decode(part.slice(eq + 1));
      state[name] = name === 'q' ? [value].filter(Boolean)
        : value.split(',').map(function (s) { return s.trim(); }).filter(Boolean);
      found = true;
    });
    return found ? state : null;
  }

  function format(state) {
    return names.filter(function (n) { return state[n].length; }).map(function (n) {
      return encodeURIComponent(n) + '=' + state[n].map(encodeURIComponent).join(',');
    }).join('&');
  }

  function matches(own, state) {
    return names.every(function (n) {
      var wanted = state[n];
      if (!wanted.length) return true;
      if (n === 'q') {
        return wanted[0].toLowerCase().split(/\s+/).filter(Boolean).every(function (t) {
          return own.q.indexOf(t) >= 0;
        });
      }
      return wanted.some(function (v) { return own[n].indexOf(v) >= 0; });
    });
  }

  function apply(state) {
    var shown = 0;
    for (var i = 0; i < rows.length; i++) {
      var ok = matches(attrs[i], state);
      if (ok) shown++;
      if (rows[i].hidden === ok) rows[i].hidden = !ok;
    }
    if (count) count.textContent = shown + ' of ' + rows.length + ' ' + noun;
  }

  function remember(state) {
    var hash = format(state);
    form.setAttribute('data-hash', hash);
    return hash;
  }

  function show(state) {
    controls.forEach(function (el) {
      var wanted = state[el.name];
      if (el.type === 'checkbox' || el.type === 'radio') {
        el.checked = wanted.indexOf(el.value) >= 0;
      } else if (el.tagName === 'SELECT') {
        list(el.options).forEach(function (o) { o.selected = wanted.indexOf(o.value) >= 0; });
      } else {
        el.value = wanted.join(' ');
      }
    });
    apply(state);
    remember(state);
  }

  function changed() {
    var state = values(false);
    apply(state);
    var hash = remember(state);
    history.replaceState(null, '', location.pathname + location.search + (hash ? '#' + hash : ''));
  }

  form.addEventListener('input', changed);
  form.addEventListener('change', changed);
  form.addEventListener('submit', function (ev) { ev.preventDefault(); });
  form.addEventListener('reset', function () { setTimeout(changed, 0); });
  window.addEventListener('hashchange', function () {
    var state = parse(location.hash);
    if (state) show(state);
  });

  var initial = parse(location.hash);
  if (initial) show(initial); else { var state = values(false); apply(state); remember(state); }
})();
