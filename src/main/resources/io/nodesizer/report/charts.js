/* nodesizer: builds each chart of the page from the JSON configuration next to its canvas.
 * Configurations are plain data (written by io.nodesizer.report.ChartJs); what JSON cannot
 * carry — tick formatters, tooltip text, the schedule bands — is attached here by name. */
(function () {
  'use strict';
  var DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
  function pad(n) { return (n < 10 ? '0' : '') + n; }
  function shiftAt(v, axis) {
    var d = 0;
    (axis.nsShifts || []).forEach(function (s) { if (v >= s.at) { d = s.delta; } });
    return d;
  }
  // Seconds since the run's start as local seconds since the start week's Monday 00:00 (axis.nsOffset: the start's second
  // of the week; axis.nsShifts: daylight-saving changes, from which the local time moves by delta seconds).
  function weekSeconds(v, axis) { return Math.round(v) + (axis.nsOffset || 0) + shiftAt(v, axis); }
  // The local date (2026-03-02) at v, from axis.nsMonday (the epoch day of the start week's Monday); null without it.
  function localDate(v, axis) {
    if (typeof axis.nsMonday !== 'number') { return null; }
    return new Date((axis.nsMonday + Math.floor(weekSeconds(v, axis) / 86400)) * 86400000).toISOString().slice(0, 10);
  }
  var FORMATS = {
    // the local weekday and time: Mon 06:00
    weektime: function (v, axis) {
      var s = (weekSeconds(v, axis) % 604800 + 604800) % 604800;
      return DAYS[Math.floor(s / 86400)] + ' ' + pad(Math.floor(s % 86400 / 3600)) + ':' + pad(Math.floor(s % 3600 / 60));
    },
    money: function (v) { return '$' + Number(v).toLocaleString('en-US', { maximumFractionDigits: 2 }); },
    percent: function (v) { return Number(v).toLocaleString('en-US', { maximumFractionDigits: 1 }) + ' %'; },
    number: function (v) { return Number(v).toLocaleString('en-US', { maximumFractionDigits: 2 }); },
    // a change in per cent, signed: +12.5 %
    change: function (v) { return (v > 0 ? '+' : '') + Number(v).toLocaleString('en-US', { maximumFractionDigits: 1 }) + ' %'; },
    // seconds as the text reports write them (Durations.format): 45s, 3m20s, 2h5m, 1d4h
    duration: function (v) {
      var s = Math.round(Number(v)), d = Math.floor(s / 86400), h = Math.floor(s % 86400 / 3600), m = Math.floor(s % 3600 / 60), r = s % 60;
      if (s <= 0) { return '0s'; }
      return (d ? d + 'd' : '') + (h ? h + 'h' : '') + (m && !d ? m + 'm' : '') + (r && !d && !h ? r + 's' : '') || d + 'd';
    },
    // node sizes on a log axis: label 1, 2, 4, 8… and 3, 6, 12, 24, 48, 96… only (the sizes clouds sell), so labels never crowd
    vcpu: function (v) {
      var p = Math.pow(2, Math.floor(Math.log2(v) + 1e-9)), m = v / p;
      return Math.abs(m - 1) < 1e-9 || Math.abs(m - 1.5) < 1e-9 ? String(v) : null;
    }
  };
  function formatter(axis) {
    var f = axis && FORMATS[axis.nsFormat];
    return f ? function (v) { return f(v, axis); } : FORMATS.number;
  }

  // Translucent bands across the plot (the windows schedule): options.plugins.nsBands.bands = [{from, to, label}]
  var bands = {
    id: 'nsBands',
    beforeDatasetsDraw: function (chart, args, opts) {
      if (!opts || !opts.bands || !opts.bands.length) { return; }
      var a = chart.chartArea, x = chart.scales.x, ctx = chart.ctx;
      ctx.save();
      ctx.font = '11px system-ui, sans-serif';
      opts.bands.forEach(function (b) {
        var x0 = Math.max(a.left, x.getPixelForValue(b.from)), x1 = Math.min(a.right, x.getPixelForValue(b.to));
        if (x1 <= x0) { return; }
        ctx.fillStyle = opts.color || 'rgba(59,125,216,0.13)';
        ctx.fillRect(x0, a.top, x1 - x0, a.bottom - a.top);
        if (b.label && x1 - x0 > ctx.measureText(b.label).width + 4) {
          ctx.fillStyle = '#1d2733';
          ctx.fillText(b.label, x0 + 2, a.top + 11);
        }
      });
      ctx.restore();
    }
  };
  Chart.register(bands);

  window.nodesizerCharts = {};
  document.querySelectorAll('canvas[data-chart]').forEach(function (canvas) {
    var cfg = JSON.parse(document.getElementById(canvas.id + '-config').textContent);
    var scales = cfg.options.scales || {};
    Object.keys(scales).forEach(function (key) {
      var axis = scales[key];
      if (axis.nsFormat) {
        var f = formatter(axis);
        axis.ticks = Object.assign({}, axis.ticks, { callback: function (v) { return f(v); } });
      }
      if (axis.nsFormat === 'weektime') {
        // the date under the first tick of each local day, so a run longer than a week does not repeat its labels
        axis.ticks.callback = function (v, i, ticks) {
          var d = localDate(v, axis);
          return d && (i === 0 || localDate(ticks[i - 1].value, axis) !== d) ? [f(v), d] : f(v);
        };
      }
      if (axis.nsFormat === 'weektime' && axis.ticks && axis.ticks.stepSize) {
        // ticks on whole steps of the clock (Thu 06:00, 12:00…), not of the time since an unaligned start; aligned again
        // after each daylight-saving change
        axis.afterBuildTicks = function (scale) {
          var step = axis.ticks.stepSize, ticks = [], bounds = [scale.min];
          (axis.nsShifts || []).forEach(function (s) { if (s.at > scale.min && s.at <= scale.max) { bounds.push(s.at); } });
          bounds.push(scale.max + 1);
          for (var i = 0; i + 1 < bounds.length; i++) {
            var off = (axis.nsOffset || 0) + shiftAt(bounds[i], axis);
            for (var v = Math.ceil((bounds[i] + off) / step) * step - off; v < bounds[i + 1]; v += step) { ticks.push({ value: v }); }
          }
          scale.ticks = ticks;
        };
      }
      if (axis.nsFormat === 'vcpu') {
        // a log axis' own ticks are 1..9 × 10^k; node sizes go by 2^k and 1.5 × 2^k
        axis.afterBuildTicks = function (scale) {
          var ticks = [];
          for (var p = 1; p <= 4096; p *= 2) {
            [p, 1.5 * p].forEach(function (v) { if (v >= scale.min && v <= scale.max && v === Math.round(v)) { ticks.push({ value: v }); } });
          }
          scale.ticks = ticks;
        };
      }
    });
    var ownBorders = {}, mark = null;
    (cfg.data.datasets || []).forEach(function (ds, i) {
      if (ds.nsMarked) {
        // bars drawn apart by a border (sweep: the runs leaving more pods out), named by one legend item of their own
        var m = mark = ds.nsMarked, own = ds.borderColor;
        ds.borderColor = m.bars.map(function (b) { return b ? m.color : own; });
        ds.borderWidth = m.bars.map(function (b) { return b ? m.width : 0; });
        ownBorders[i] = own;
        delete ds.nsMarked;
      }
    });
    if (mark) {
      var legend = cfg.options.plugins.legend = cfg.options.plugins.legend || {};
      legend.labels = legend.labels || {};
      legend.labels.generateLabels = function (chart) {
        // a legend box takes the style of its dataset's first bar: it keeps the dataset's own colour instead
        var items = Chart.defaults.plugins.legend.labels.generateLabels(chart).map(function (item) {
          if (ownBorders[item.datasetIndex] !== undefined) {
            item.strokeStyle = ownBorders[item.datasetIndex];
            item.lineWidth = 0;
          }
          return item;
        });
        items.push({ text: mark.label, fillStyle: '#ffffff', strokeStyle: mark.color, lineWidth: mark.width, hidden: false,
          fontColor: Chart.defaults.color });
        return items;
      };
      legend.onClick = function (e, item, l) {
        if (item.datasetIndex !== undefined) { Chart.defaults.plugins.legend.onClick.call(this, e, item, l); }
      };
    }
    var tooltip = cfg.options.plugins.tooltip = cfg.options.plugins.tooltip || {};
    var fx = formatter(scales.x);
    tooltip.callbacks = {
      title: function (items) {
        if (!items.length) { return ''; }
        var it = items[0];
        if (!scales.x || scales.x.type === 'category') { return it.label; }
        if (scales.x.nsFormat === 'weektime' && localDate(it.parsed.x, scales.x)) {
          return fx(it.parsed.x).replace(' ', ' ' + localDate(it.parsed.x, scales.x) + ' '); // Mon 2026-03-02 06:00
        }
        return scales.x.nsFormat === 'vcpu' ? it.parsed.x + ' vCPU' : fx(it.parsed.x);
      },
      // a point may carry a name (the shape): "4 GiB/vCPU: m5.2xlarge $1,234"
      label: function (it) {
        var raw = it.raw, name = raw && typeof raw === 'object' && raw.name ? raw.name + ' ' : '';
        var axis = it.dataset.yAxisID ? scales[it.dataset.yAxisID] : scales.y;
        var v = cfg.options.indexAxis === 'y' ? it.parsed.x : it.parsed.y;
        return (it.dataset.label || '') + ': ' + name + formatter(cfg.options.indexAxis === 'y' ? scales.x : axis)(v);
      }
    };
    window.nodesizerCharts[canvas.dataset.chart] = new Chart(canvas, cfg);
  });
})();
