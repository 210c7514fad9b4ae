// TurboFarm console: the CSRF header on every htmx request, size presets, the seed copy button and
// the gallery's keyboard review. No framework beyond htmx.
(function () {
  'use strict';
  var meta = document.querySelector('meta[name="csrf-token"]');
  var csrf = meta ? meta.getAttribute('content') : '';

  document.body.addEventListener('htmx:configRequest', function (e) {
    e.detail.headers['X-CSRF-Token'] = csrf;
  });

  // New job: presets fill the size; a custom size must be a multiple of 64 before it is sent.
  document.addEventListener('click', function (e) {
    var preset = e.target.closest('button.preset');
    if (preset) {
      document.getElementById('width').value = preset.dataset.width;
      document.getElementById('height').value = preset.dataset.height;
      checkSize();
    }
    var copy = e.target.closest('button.copy');
    if (copy) {
      copySeed(copy);
    }
  });

  function checkSize() {
    var w = document.getElementById('width');
    var h = document.getElementById('height');
    var out = document.getElementById('size-error');
    if (!w || !h || !out) {
      return true;
    }
    var bad = [];
    [['Width', w], ['Height', h]].forEach(function (f) {
      var v = Number(f[1].value);
      if (!Number.isInteger(v) || v < 64 || v % 64 !== 0) {
        bad.push(f[0] + ' must be a multiple of 64 (is ' + f[1].value + ')');
      }
    });
    out.hidden = bad.length === 0;
    out.textContent = bad.join('; ');
    return bad.length === 0;
  }

  document.body.addEventListener('htmx:beforeRequest', function (e) {
    if (e.detail.elt && e.detail.elt.id === 'job-form' && !checkSize()) {
      e.preventDefault();
    }
  });
  document.addEventListener('input', function (e) {
    if (e.target.id === 'width' || e.target.id === 'height') {
      checkSize();
    }
  });

  function copySeed(button) {
    var seed = button.dataset.copy;
    var done = function () { button.textContent = 'Copied'; };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(seed).then(done, function () { button.textContent = seed; });
    } else {
      button.textContent = seed;
    }
  }

  // Gallery: arrows move between tiles; A approve, R reject, 1-5 rating, Enter opens the image.
  var gallery = document.getElementById('gallery');
  if (!gallery) {
    return;
  }
  var canWrite = gallery.dataset.canWrite === 'true';
  function tiles() { return Array.prototype.slice.call(gallery.querySelectorAll('.tile.review')); }
  function columns(list) {
    if (list.length < 2) { return 1; }
    var top = list[0].offsetTop;
    var n = 0;
    while (n < list.length && list[n].offsetTop === top) { n++; }
    return Math.max(1, n);
  }
  function review(tile, verdict, rating) {
    var body = new URLSearchParams();
    if (verdict) { body.set('verdict', verdict); }
    if (rating) { body.set('rating', rating); }
    return fetch('/console/images/' + tile.dataset.job + '/' + tile.dataset.index + '/review', {
      method: 'POST',
      headers: { 'X-CSRF-Token': csrf, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: body,
      credentials: 'same-origin'
    }).then(function (r) {
      return r.text().then(function (t) {
        if (!r.ok) { throw new Error(t); }
        tile.dataset.verdict = verdict || '';
        tile.dataset.rating = rating || '';
        tile.querySelector('figcaption').innerHTML = t;
        tile.dataset.reviewed = 'true';
      });
    }).catch(function (err) {
      tile.querySelector('figcaption').textContent = 'not saved: ' + err.message;
    });
  }
  gallery.addEventListener('keydown', function (e) {
    var list = tiles();
    var tile = e.target.closest('.tile.review');
    if (!tile) { return; }
    var i = list.indexOf(tile);
    var move = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: columns(list), ArrowUp: -columns(list) }[e.key];
    if (move !== undefined) {
      var next = list[Math.min(list.length - 1, Math.max(0, i + move))];
      next.focus();
      e.preventDefault();
      return;
    }
    if (e.key === 'Enter') {
      window.location = tile.querySelector('a').href;
      return;
    }
    if (!canWrite || e.ctrlKey || e.metaKey || e.altKey) { return; }
    var key = e.key.toLowerCase();
    if (key === 'a') {
      review(tile, 'approved', tile.dataset.rating);
    } else if (key === 'r') {
      review(tile, 'rejected', tile.dataset.rating);
    } else if (/^[1-5]$/.test(key)) {
      review(tile, tile.dataset.verdict, key);
    } else {
      return;
    }
    e.preventDefault();
  });
})();
