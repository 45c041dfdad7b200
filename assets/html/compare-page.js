/* camera-load compare page: draws both runs' distributions on the same axes, BASE and NEW (uPlot, inlined above).
 * Plain ES2020 without modules, so that the page works when opened from file://. The verdict and every figure are
 * already in the HTML: this script only adds the charts. */
/* global uPlot, CameraLoadAxis */
(function () {
  'use strict';

  const { missing, fmt, ticks } = CameraLoadAxis;
  const data = JSON.parse(document.getElementById('data').textContent);
  // Two hues apart enough to tell where they cross; NEW solid, BASE dashed, so that print in grey still tells them.
  const SIDES = [
    { key: 'base', label: 'BASE', colour: '#ea580c', dash: [6, 4] },
    { key: 'new', label: 'NEW', colour: '#2563eb', dash: undefined },
  ];
  const AXIS = { stroke: '#475569', grid: { stroke: '#eef2f6', width: 1 }, ticks: { stroke: '#cbd5e1', width: 1, size: 4 } };
  const HEIGHT = 240;

  const charts = [];
  let expected = 0;
  let drawn = 0;
  let started = false;

  function markRendered() {
    if (started && drawn >= expected) document.body.dataset.rendered = 'true';
  }

  function axis(extra) {
    return Object.assign({}, AXIS, extra);
  }

  // Wide enough for the longest label ("12,345 ms"), measured rather than guessed.
  function labelsWidth(u, values) {
    const longest = (values || []).reduce(function (n, v) { return Math.max(n, String(v).length); }, 4);
    return 16 + longest * 7;
  }

  /** Creates a chart in its `data-chart` slot, unless the server marked the slot empty. */
  function makeChart(name, opts, columns) {
    const card = document.querySelector('[data-chart="' + name + '"]');
    if (!card || card.dataset.empty === 'true') return;
    const plot = card.querySelector('.chart-plot');
    try {
      opts.width = Math.max(240, Math.floor(plot.clientWidth));
      opts.height = HEIGHT;
      let first = true;
      opts.hooks = { draw: [function () {
        if (!first) return;
        first = false;
        drawn++;
        markRendered();
      }] };
      expected++;
      charts.push({ u: new uPlot(opts, columns, plot), plot: plot });
    } catch (error) {
      plot.textContent = 'This chart could not be drawn: ' + error.message;
      console.error(error);
    }
  }

  // Charts follow their container's width; on paper, the printable width of a portrait page.
  function resize(width) {
    for (const chart of charts) {
      const w = Math.max(240, Math.floor(width === undefined ? chart.plot.clientWidth : Math.min(width, chart.plot.clientWidth || width)));
      if (w !== chart.u.width) chart.u.setSize({ width: w, height: HEIGHT });
    }
  }
  let resizeFrame = 0;
  window.addEventListener('resize', function () {
    cancelAnimationFrame(resizeFrame);
    resizeFrame = requestAnimationFrame(function () { resize(); });
  });
  window.addEventListener('beforeprint', function () { resize(680); });
  window.addEventListener('afterprint', function () { resize(); });

  /** BASE and NEW, each with its own legend value; `more` for how a kind of chart draws its lines. */
  function sideSeries(value, more) {
    return SIDES.map(function (side) {
      return Object.assign({ label: side.label, stroke: side.colour, width: 2, dash: side.dash, spanGaps: false, points: { show: false }, value: value }, more);
    });
  }

  // A little room either side, so that a side's last step up to 100 % is not hidden in the plot's edge.
  function padded(u, min, max) {
    const pad = max > min ? (max - min) * 0.04 : Math.max(Math.abs(max) * 0.05, 0.5);
    return [min - pad, max + pad];
  }

  /** An empirical CDF per side: a step up at each value, flat between (the share of streams at or below x). */
  function cdfChart(name, cdf, label, unit, digits) {
    if (!cdf) return;
    const withUnit = function (v, d) { return fmt(v, d) + ' ' + unit; };
    makeChart(
      name,
      {
        series: [{ label: label, value: function (u, v) { return missing(v) ? '—' : withUnit(v, digits); } }].concat(
          sideSeries(function (u, v) { return missing(v) ? '—' : fmt(v * 100, 1) + ' % of streams'; }, { paths: uPlot.paths.stepped({ align: 1 }) }),
        ),
        scales: { x: { time: false, range: padded }, y: { range: [0, 1.02] } },
        axes: [
          axis({ values: function (u, splits, axisIdx, space, incr) { return ticks(splits, incr, withUnit); } }),
          axis({ size: 52, splits: function () { return [0, 0.25, 0.5, 0.75, 1]; }, values: function (u, splits) { return splits.map(function (v) { return fmt(v * 100, 0) + '%'; }); } }),
        ],
        legend: { live: true },
      },
      [cdf.x, cdf.base, cdf.new],
    );
  }

  /**
   * Both sides' values at the renderer's percentiles, on a log scale of 1/(1−p); the axis names only the renderer's
   * ticks (50 %, 90 %, 99 %, …), those that would overlap left out, the lower ones first kept.
   */
  function percentileChart(name, curve) {
    if (!curve) return;
    const labelOf = function (x) { const i = curve.ticks.x.indexOf(x); return i === -1 ? '' : curve.ticks.labels[i]; };
    makeChart(
      name,
      {
        series: [{ label: 'percentile', value: function (u, v, s, i) { return missing(i) || missing(curve.labels[i]) ? '—' : curve.labels[i]; } }].concat(
          // Across a side's nulls (percentiles finer than its frames resolve) to its max: one line per side.
          sideSeries(function (u, v) { return missing(v) ? '—' : fmt(v, 1) + ' ms'; }, { points: { show: true, size: 5 }, spanGaps: true }),
        ),
        scales: { x: { time: false, distr: 3, log: 10 }, y: { range: function (u, min, max) { return [0, max > 0 ? max * 1.1 : 1]; } } },
        axes: [
          axis({
            splits: function (u) {
              const lo = u.scales.x.min / 1.0001;
              const hi = u.scales.x.max * 1.0001;
              return curve.ticks.x.filter(function (x) { return x >= lo && x <= hi; });
            },
            filter: function (u, splits, axisIdx) {
              let lastRight = -Infinity;
              return splits.map(function (x) {
                const width = labelOf(x).length * 7 + 8;
                const centre = u.valToPos(x, u.axes[axisIdx].scale);
                if (centre - width / 2 < lastRight) return null;
                lastRight = centre + width / 2;
                return x;
              });
            },
            values: function (u, splits) { return splits.map(function (x) { return missing(x) ? null : labelOf(x); }); },
          }),
          axis({ size: labelsWidth, values: function (u, splits, axisIdx, space, incr) { return ticks(splits, incr, function (v, d) { return fmt(v, d) + ' ms'; }); } }),
        ],
        legend: { live: true },
      },
      [curve.x, curve.base, curve.new],
    );
  }

  if (data.kind === 'compare') {
    cdfChart('compare-fps', data.fps, 'fps', 'fps', 3);
    cdfChart('compare-ttff', data.timeToFirstFrameMs, 'time to first frame', 'ms', 1);
    percentileChart('compare-gaps', data.frameGapMs);
    percentileChart('compare-delay', data.delayMs);
  }
  started = true;
  markRendered();
})();
