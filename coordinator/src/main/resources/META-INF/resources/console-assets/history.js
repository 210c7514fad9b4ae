// History page: the analytics summary as a Chart.js chart and a table. The session cookie
// authenticates the GET of /api/v1/analytics/summary.
(function () {
  'use strict';
  var form = document.getElementById('history-filters');
  var canvas = document.getElementById('history-chart');
  var table = document.querySelector('#history-table tbody');
  var csv = document.getElementById('csv-export');
  var chart = null;

  function label(key) {
    return Object.keys(key).map(function (k) { return key[k] === null ? '–' : String(key[k]); }).join(' · ');
  }

  function load() {
    var since = form.elements.since.value;
    var groupBy = form.elements.groupBy.value;
    csv.href = '/api/v1/analytics/images?format=csv&since=' + encodeURIComponent(since);
    fetch('/api/v1/analytics/summary?groupBy=' + encodeURIComponent(groupBy) + '&since=' + encodeURIComponent(since),
      { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (r) { return r.json(); })
      .then(function (s) {
        var groups = s.groups || [];
        var labels = groups.map(function (g) { return label(g.key); });
        var approval = groups.map(function (g) { return g.approvalRate === null ? null : Math.round(1000 * g.approvalRate) / 10; });
        var quality = groups.map(function (g) { return g.meanQuality; });
        table.innerHTML = '';
        groups.forEach(function (g, i) {
          var tr = document.createElement('tr');
          [labels[i], g.images, g.approved, g.rejected, approval[i] === null ? '–' : approval[i] + '%',
            g.meanQuality === null ? '–' : g.meanQuality.toFixed(3), g.p50RenderMs === null ? '–' : Math.round(g.p50RenderMs),
            g.p95RenderMs === null ? '–' : Math.round(g.p95RenderMs)]
            .forEach(function (v) { var td = document.createElement('td'); td.textContent = v; tr.appendChild(td); });
          table.appendChild(tr);
        });
        if (chart) { chart.destroy(); }
        chart = new Chart(canvas, {
          data: {
            labels: labels,
            datasets: [
              { type: 'bar', label: 'Approval rate (%)', data: approval, yAxisID: 'rate', backgroundColor: '#4c9f70' },
              { type: 'line', label: 'Mean quality', data: quality, yAxisID: 'quality', borderColor: '#0b5cad' }
            ]
          },
          options: {
            maintainAspectRatio: false,
            animation: false,
            scales: {
              rate: { type: 'linear', position: 'left', min: 0, max: 100 },
              quality: { type: 'linear', position: 'right', min: 0, max: 1, grid: { drawOnChartArea: false } }
            }
          }
        });
        canvas.dataset.groups = String(groups.length);
        canvas.dataset.approved = String(groups.reduce(function (a, g) { return a + g.approved; }, 0));
      })
      .catch(function (err) { table.innerHTML = '<tr><td colspan="8">Could not load the summary: ' + err.message + '</td></tr>'; });
  }

  function rows(tbody, stats) {
    tbody.innerHTML = '';
    stats.forEach(function (x) {
      var tr = document.createElement('tr');
      [x.value, x.images, x.approvalRate === null ? '–' : Math.round(1000 * x.approvalRate) / 10 + '%',
        x.meanQuality === null ? '–' : x.meanQuality.toFixed(3)]
        .forEach(function (v) { var td = document.createElement('td'); td.textContent = v; tr.appendChild(td); });
      tbody.appendChild(tr);
    });
  }

  function loadSeeds() {
    var since = form.elements.since.value;
    fetch('/api/v1/analytics/seeds?minImages=1&since=' + encodeURIComponent(since),
      { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (r) { return r.json(); })
      .then(function (s) {
        rows(document.querySelector('#top-seeds tbody'), s.seeds || []);
        rows(document.querySelector('#top-offsets tbody'), s.offsets || []);
      })
      .catch(function (err) { document.querySelector('#top-seeds tbody').textContent = 'Could not load: ' + err.message; });
  }

  form.addEventListener('submit', function (e) { e.preventDefault(); load(); loadSeeds(); });
  load();
  loadSeeds();
})();
