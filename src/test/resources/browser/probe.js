/* Injected first into a report under test: records script errors, then after the page has
 * built its charts, writes what each chart drew as JSON into a pre element with id nodesizer-probe. */
(function () {
  'use strict';
  var errors = [];
  window.addEventListener('error', function (e) { errors.push('error: ' + (e.message || String(e))); });
  window.addEventListener('unhandledrejection', function (e) { errors.push('unhandled rejection: ' + e.reason); });
  var consoleError = console.error;
  console.error = function () {
    errors.push('console.error: ' + Array.prototype.join.call(arguments, ' '));
    consoleError.apply(console, arguments);
  };
  function colouredPixels(chart) {
    // data are drawn in colours; axes, grid lines and text are grey or black
    var canvas = chart.canvas, ctx = canvas.getContext('2d');
    var px = ctx.getImageData(0, 0, canvas.width, canvas.height).data, n = 0;
    for (var i = 0; i < px.length; i += 4) {
      var r = px[i], g = px[i + 1], b = px[i + 2], a = px[i + 3];
      if (a > 128 && Math.max(r, g, b) - Math.min(r, g, b) > 40) { n++; }
    }
    return n;
  }
  window.addEventListener('load', function () {
    setTimeout(function () {
      var out = { errors: errors, charts: {} };
      var charts = window.nodesizerCharts || {};
      Object.keys(charts).forEach(function (id) {
        var c = charts[id], area = c.chartArea;
        var datasets = c.data.datasets.map(function (d, i) {
          var meta = c.getDatasetMeta(i), drawn = 0, given = 0;
          d.data.forEach(function (v, j) {
            if (v === null || v === undefined) { return; }
            given++;
            var el = meta.data[j];
            if (el && isFinite(el.x) && isFinite(el.y) && el.x >= area.left - 1 && el.x <= area.right + 1
                && el.y >= area.top - 1 && el.y <= area.bottom + 1) { drawn++; }
          });
          return { label: d.label, given: given, drawn: drawn, hidden: !c.isDatasetVisible(i) };
        });
        var legend = (c.legend && c.legend.legendItems || []).map(function (item) { return item.text; });
        out.charts[id] = { type: c.config.type, width: c.width, height: c.height, datasets: datasets, legend: legend, coloured: colouredPixels(c) };
      });
      var pre = document.createElement('pre');
      pre.id = 'nodesizer-probe';
      pre.textContent = JSON.stringify(out);
      document.body.appendChild(pre);
    }, 0);
  });
})();
