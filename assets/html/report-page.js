/* camera-load HTML report: draws the charts (uPlot, inlined above) and makes the camera table sortable,
 * filterable and paged. Plain ES2020 without modules, so that the page works when opened from file://.
 * Everything else on the page is already in the HTML: this script only adds. */
/* global uPlot, CameraLoadAxis */
(function () {
  'use strict';

  const { tickDigits, missing, fmt, ticks } = CameraLoadAxis;

  const data = JSON.parse(document.getElementById('data').textContent);
  const COLOURS = ['#2563eb', '#ea580c', '#16a34a', '#7c3aed', '#db2777', '#0d9488', '#ca8a04', '#64748b'];
  const RED = '#dc2626';
  const GREEN = '#16a34a';
  const GREY = '#94a3b8';
  const AXIS = { stroke: '#475569', grid: { stroke: '#eef2f6', width: 1 }, ticks: { stroke: '#cbd5e1', width: 1, size: 4 } };
  // Every time chart reserves the same gutters, so that their plots, and the synchronized cursor, line up.
  const Y_AXIS_SIZE = 58;
  const SYNC_KEY = 'camera-load-time';

  const charts = [];
  let expected = 0;
  let drawn = 0;
  let tableDone = false;

  function markRendered() {
    if (tableDone && drawn >= expected) document.body.dataset.rendered = 'true';
  }

  // Counts (streams, errors, trials) have whole ticks only: half a stream is no tick to read.
  const COUNT_INCRS = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1e3, 2e3, 2.5e3, 5e3, 1e4, 2e4, 2.5e4, 5e4, 1e5, 2e5, 2.5e5, 5e5, 1e6, 2e6, 5e6, 1e7];

  /** Seconds as "12.5 s", or as m:ss past 3 minutes; `digits` decimals of a second (legend: 2, or 0 as m:ss). */
  function fmtSeconds(v, digits) {
    if (missing(v)) return '';
    if (data.timeEnd < 180) return fmt(v, digits === undefined ? 2 : digits) + ' s';
    const d = digits === undefined ? 0 : digits;
    // Rounded before it is split, so that 59.7 s reads 1:00 and not 0:60.
    const total = Number(v.toFixed(d));
    const m = Math.floor(total / 60);
    const s = (total - m * 60).toFixed(d);
    return m + ':' + (Number(s) < 10 ? '0' : '') + s;
  }

  function withAlpha(hex, alpha) {
    return hex + Math.round(alpha * 255).toString(16).padStart(2, '0');
  }

  function axis(extra) {
    return Object.assign({}, AXIS, extra);
  }

  /** Creates a chart in its `data-chart` slot, unless the server marked the slot empty. */
  function makeChart(name, height, opts, columns) {
    const card = document.querySelector('[data-chart="' + name + '"]');
    if (!card || card.dataset.empty === 'true') return null;
    const plot = card.querySelector('.chart-plot');
    try {
      opts.width = Math.max(240, Math.floor(plot.clientWidth));
      opts.height = height;
      opts.hooks = opts.hooks || {};
      let first = true;
      opts.hooks.draw = (opts.hooks.draw || []).concat(function () {
        if (!first) return;
        first = false;
        drawn++;
        markRendered();
      });
      expected++;
      const u = new uPlot(opts, columns, plot);
      charts.push({ u: u, plot: plot, height: height });
      return u;
    } catch (error) {
      plot.textContent = 'This chart could not be drawn: ' + error.message;
      console.error(error);
      return null;
    }
  }

  // Charts follow their container's width; on paper, the printable width of a portrait page.
  function resize(width) {
    for (const chart of charts) {
      const w = Math.max(240, Math.floor(width === undefined ? chart.plot.clientWidth : Math.min(width, chart.plot.clientWidth || width)));
      if (w !== chart.u.width) chart.u.setSize({ width: w, height: chart.height });
    }
  }
  let resizeFrame = 0;
  window.addEventListener('resize', function () {
    cancelAnimationFrame(resizeFrame);
    resizeFrame = requestAnimationFrame(function () { resize(); });
  });
  window.addEventListener('beforeprint', function () { resize(680); });
  window.addEventListener('afterprint', function () { resize(); });

  // ---- Over time: one x axis (seconds since the start), one cursor, one zoom for all of them.

  const syncedCharts = new Set();
  let zooming = false;
  function syncZoom(u, key) {
    if (key !== 'x' || zooming) return;
    zooming = true;
    for (const chart of charts) {
      if (chart.u !== u && syncedCharts.has(chart.u)) chart.u.setScale('x', { min: u.scales.x.min, max: u.scales.x.max });
    }
    zooming = false;
  }

  /**
   * Adds points at 0 and at the end, so every time chart spans the same axis, also after a reset: empty, except for
   * the columns given a value in `pads` (a limit, the streams planned), which run across the whole axis.
   */
  function spanAxis(t, columns, pads) {
    const x = t.slice();
    const ys = columns.map(function (c) { return c.slice(); });
    const pad = function (k) { return pads && !missing(pads[k]) ? pads[k] : null; };
    if (x.length === 0 || x[0] > 0) {
      x.unshift(0);
      ys.forEach(function (c, k) { c.unshift(pad(k)); });
    }
    if (x[x.length - 1] < data.timeEnd) {
      x.push(data.timeEnd);
      ys.forEach(function (c, k) { c.push(pad(k)); });
    }
    return [x].concat(ys);
  }

  /** A line through fewer than two values draws nothing: such a series shows its values as points. */
  function pointsWhenSparse(series, columns) {
    series.forEach(function (s, k) {
      if (s.paths) return;
      const values = columns[k].filter(function (v) { return !missing(v); }).length;
      if (values < 2) s.points = { show: true, size: 8, width: 2, fill: s.stroke };
    });
  }

  // Ticks on the time axis: round seconds, then minutes (m:ss above 3 min); below a second, tenths and hundredths.
  const TIME_INCRS = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400, 28800, 86400];

  // ---- The lead-in of a run with viewer groups: shaded up to the moment the groups began, a dashed line there.

  const LEAD_IN = '#b45309';

  /** uPlot hooks that mark when the viewer groups began, on every time chart; none in a run without groups. */
  function leadInHooks() {
    const began = data.groupsBeganAt;
    if (typeof began !== 'number' || !(began > 0)) return {};
    const ratio = uPlot.pxRatio || 1;
    return {
      // Under the grid and the series: the lead-in, shaded as far as it is in view.
      drawClear: [function (u) {
        const min = u.scales.x.min;
        const max = u.scales.x.max;
        if (missing(min) || missing(max) || min >= began) return;
        const left = u.bbox.left;
        const right = began >= max ? left + u.bbox.width : u.valToPos(began, 'x', true);
        u.ctx.save();
        u.ctx.fillStyle = 'rgba(148, 163, 184, 0.14)';
        u.ctx.fillRect(left, u.bbox.top, right - left, u.bbox.height);
        u.ctx.restore();
      }],
      // Over the series: the line and its label, when the moment is in view (zoomed or not).
      draw: [function (u) {
        const min = u.scales.x.min;
        const max = u.scales.x.max;
        if (missing(min) || missing(max) || began < min || began > max) return;
        const ctx = u.ctx;
        const x = Math.round(u.valToPos(began, 'x', true));
        const top = u.bbox.top;
        ctx.save();
        ctx.strokeStyle = LEAD_IN;
        ctx.lineWidth = Math.max(2, Math.round(2 * ratio));
        ctx.setLineDash([6 * ratio, 4 * ratio]);
        ctx.beginPath();
        ctx.moveTo(x, top);
        ctx.lineTo(x, top + u.bbox.height);
        ctx.stroke();
        ctx.setLineDash([]);
        const text = 'viewer groups began';
        ctx.font = '600 ' + Math.round(11 * ratio) + 'px system-ui, sans-serif';
        // uPlot leaves the alignment of the last axis it labelled: a left axis's 'right' put the text beside its box.
        ctx.textAlign = 'left';
        ctx.textBaseline = 'top';
        const width = ctx.measureText(text).width;
        const gap = 5 * ratio;
        const right = x + gap + width <= u.bbox.left + u.bbox.width;
        ctx.fillStyle = 'rgba(255, 255, 255, 0.85)';
        const at = right ? x + gap : x - gap - width;
        ctx.fillRect(at - 2 * ratio, top + 2 * ratio, width + 4 * ratio, 14 * ratio);
        ctx.fillStyle = LEAD_IN;
        ctx.fillText(text, at, top + 3 * ratio);
        ctx.restore();
      }],
    };
  }

  // ---- The stages of a run with --stages: alternating bands under the series, each numbered in a strip above the
  // plot, where no label covers a line (the top of a chart is where its highest values are).

  const STAGE_INK = '#4338ca';
  const STAGE_BAND = 'rgba(99, 102, 241, 0.1)';
  /** The strip above the plot the numbers take (CSS pixels), beside the usual top padding. */
  const STAGE_STRIP = 16;

  function hasStages() {
    return Array.isArray(data.stages) && data.stages.length > 0;
  }

  /** uPlot hooks that shade every other stage and number each one in view, on every time chart; none without stages. */
  function stageHooks() {
    if (!hasStages()) return {};
    // A stage of no length has no band: the bands alternate over the others, so that two neighbours never look alike.
    const stages = data.stages.filter(function (s) { return s.to > s.from; });
    const ratio = uPlot.pxRatio || 1;
    /** The part of a stage in view, in canvas pixels; null when none is. */
    function inView(u, s) {
      const min = u.scales.x.min;
      const max = u.scales.x.max;
      if (missing(min) || missing(max) || s.to <= min || s.from >= max) return null;
      return { left: u.valToPos(Math.max(s.from, min), 'x', true), right: u.valToPos(Math.min(s.to, max), 'x', true) };
    }
    return {
      drawClear: [function (u) {
        u.ctx.save();
        u.ctx.fillStyle = STAGE_BAND;
        stages.forEach(function (s, i) {
          const band = i % 2 === 1 ? inView(u, s) : null;
          if (band) u.ctx.fillRect(band.left, u.bbox.top, band.right - band.left, u.bbox.height);
        });
        u.ctx.restore();
      }],
      draw: [function (u) {
        const ctx = u.ctx;
        ctx.save();
        ctx.font = '600 ' + Math.round(11 * ratio) + 'px system-ui, sans-serif';
        // uPlot leaves the alignment of the last axis it labelled.
        ctx.textAlign = 'left';
        ctx.textBaseline = 'bottom';
        ctx.fillStyle = STAGE_INK;
        const gap = 4 * ratio;
        stages.forEach(function (s) {
          const band = inView(u, s);
          if (!band) return;
          // The longest label the band has room for: "stage 3", "3", or none.
          const text = ['stage ' + s.stage, String(s.stage)].find(function (t) { return ctx.measureText(t).width + 2 * gap <= band.right - band.left; });
          if (text !== undefined) ctx.fillText(text, band.left + gap, u.bbox.top - 3 * ratio);
        });
        ctx.restore();
      }],
    };
  }

  // ---- The reconnect storms of a run with --storm-at: a solid line at the instant each struck, labelled at the top
  // of the plot ("storm 2", or "2" where the next storm's line leaves no room for more).

  const STORM_INK = '#be123c';

  /** uPlot hooks that mark each storm in view, on every time chart; none without storms. */
  function stormHooks() {
    if (!Array.isArray(data.storms) || data.storms.length === 0) return {};
    const storms = data.storms.slice().sort(function (a, b) { return a.at - b.at; });
    const ratio = uPlot.pxRatio || 1;
    return {
      draw: [function (u) {
        const min = u.scales.x.min;
        const max = u.scales.x.max;
        if (missing(min) || missing(max)) return;
        const ctx = u.ctx;
        const top = u.bbox.top;
        const xs = storms.map(function (s) { return s.at < min || s.at > max ? null : Math.round(u.valToPos(s.at, 'x', true)); });
        ctx.save();
        ctx.strokeStyle = STORM_INK;
        ctx.lineWidth = Math.max(2, Math.round(2 * ratio));
        // Solid, unlike the lead-in's: uPlot leaves the dash of the last dashed series it drew.
        ctx.setLineDash([]);
        ctx.font = '600 ' + Math.round(11 * ratio) + 'px system-ui, sans-serif';
        // uPlot leaves the alignment of the last axis it labelled.
        ctx.textAlign = 'left';
        ctx.textBaseline = 'top';
        const gap = 4 * ratio;
        xs.forEach(function (x, i) {
          if (x === null) return;
          ctx.beginPath();
          ctx.moveTo(x, top);
          ctx.lineTo(x, top + u.bbox.height);
          ctx.stroke();
          const next = xs.slice(i + 1).find(function (v) { return v !== null; });
          const room = (next === undefined ? u.bbox.left + u.bbox.width : next) - x - 2 * gap;
          const text = ['storm ' + storms[i].storm, String(storms[i].storm)].find(function (t) { return ctx.measureText(t).width <= room; });
          if (text === undefined) return;
          const width = ctx.measureText(text).width;
          // A box under the label: the lines of the series may run through the top of the plot.
          ctx.fillStyle = 'rgba(255, 255, 255, 0.85)';
          ctx.fillRect(x + gap - 2 * ratio, top + 2 * ratio, width + 4 * ratio, 14 * ratio);
          ctx.fillStyle = STORM_INK;
          ctx.fillText(text, x + gap, top + 3 * ratio);
        });
        ctx.restore();
      }],
    };
  }

  /** Hooks of every kind from each source, one after the other. */
  function joinHooks(list) {
    const joined = {};
    list.forEach(function (hooks) {
      Object.keys(hooks).forEach(function (kind) { joined[kind] = (joined[kind] || []).concat(hooks[kind]); });
    });
    return joined;
  }

  function timeOptions(series, axes, extra) {
    return {
      series: [{ label: 'time', value: function (u, v) { return fmtSeconds(v); } }].concat(series),
      scales: Object.assign({ x: { time: false } }, extra && extra.scales),
      axes: [axis({ incrs: TIME_INCRS, values: function (u, splits, axisIdx, space, incr) { return ticks(splits, incr, fmtSeconds); } })].concat(axes),
      cursor: { sync: { key: SYNC_KEY } },
      legend: { live: true },
      // The stages' bands first: the lead-in's shade and line go over them, and the storms' lines over all.
      hooks: joinHooks([{ setScale: [syncZoom] }, stageHooks(), leadInHooks(), stormHooks()]),
      padding: [12 + (hasStages() ? STAGE_STRIP : 0), axes.length > 1 ? 8 : 8 + Y_AXIS_SIZE, 0, 0],
    };
  }

  function makeTimeChart(name, series, axes, columns, t, extra, pads) {
    const spanned = spanAxis(t, columns, pads);
    pointsWhenSparse(series, spanned.slice(1));
    const u = makeChart(name, 220, timeOptions(series, axes, extra), spanned);
    if (u) syncedCharts.add(u);
    return u;
  }

  function line(label, colour, scale, digits, unit, more) {
    return Object.assign(
      {
        label: label,
        stroke: colour,
        width: 2,
        scale: scale,
        points: { show: false },
        value: function (u, v) { return missing(v) ? '—' : fmt(v, digits) + (unit ? ' ' + unit : ''); },
      },
      more,
    );
  }

  /** A value axis of a time chart; `counts`: whole ticks only. */
  function yAxis(scale, side, unit, counts) {
    return axis(Object.assign({
      scale: scale,
      side: side,
      size: Y_AXIS_SIZE,
      values: function (u, splits, axisIdx, space, incr) { return ticks(splits, incr, function (v, digits) { return fmt(v, digits) + (unit ? ' ' + unit : ''); }); },
      grid: side === 1 ? { show: false } : AXIS.grid,
    }, counts ? { incrs: COUNT_INCRS } : {}));
  }

  function constant(t, value) {
    return t.map(function () { return value; });
  }

  /**
   * A row's value holds from its start over its own length: the lines go on to the end of the last row (a short last
   * row ends early), instead of stopping at its start.
   */
  function throughLastRow(tl, columns) {
    const n = tl.t.length;
    const end = n > 0 ? Math.min(data.timeEnd, tl.t[n - 1] + tl.seconds[n - 1]) : 0;
    if (n === 0 || !(end > tl.t[n - 1])) return { t: tl.t, columns: columns };
    return { t: tl.t.concat([end]), columns: columns.map(function (c) { return c.concat([c[n - 1]]); }) };
  }

  function timeCharts() {
    const tl = data.timeline;
    const t = tl.t;
    const rows = function (columns) { return throughLastRow(tl, columns); };
    makeTimeChart(
      'open-streams',
      [
        line('open streams', COLOURS[0], 'n', 0, '', { fill: withAlpha(COLOURS[0], 0.1) }),
        line('planned', GREY, 'n', 0, '', { width: 1, dash: [6, 4] }),
      ],
      [yAxis('n', 3, '', true)],
      rows([tl.openStreams, constant(t, data.streamsPlanned)]).columns,
      rows([]).t,
      { scales: { n: { range: function (u, min, max) { return [0, Math.max(1, max, data.streamsPlanned) * 1.05]; } } } },
      [null, data.streamsPlanned],
    );
    // While the open streams stay the same, the two are one curve in proportion: all streams as an area, per open
    // stream dashed on its own scale with more headroom, so that neither hides the other. Fresh frames (repeats left
    // out) share the all-streams scale: the gap between the two is the repeated pictures.
    const fpsSeries = [
      line('all streams', COLOURS[0], 'fps', 1, 'fps', { fill: withAlpha(COLOURS[0], 0.1) }),
      line('per open stream', COLOURS[1], 'fpsPer', 2, 'fps', { dash: [8, 4] }),
    ];
    const fpsColumns = [tl.fps, tl.fpsPerStream];
    if (tl.freshFps) {
      fpsSeries.push(line('fresh, all streams', GREEN, 'fps', 1, 'fps', { width: 1.5 }));
      fpsColumns.push(tl.freshFps);
    }
    makeTimeChart(
      'fps',
      fpsSeries,
      [yAxis('fps', 3, ''), yAxis('fpsPer', 1, '')],
      rows(fpsColumns).columns,
      rows([]).t,
      { scales: { fps: { range: zeroBased }, fpsPer: { range: function (u, min, max) { return [0, max > 0 ? max * 1.35 : 1]; } } } },
    );
    makeTimeChart(
      'delay',
      // null where no frame carried a capture time: a gap in the line, not a drop to 0.
      [line('mean queueing delay', COLOURS[4], 'ms', 1, 'ms', { fill: withAlpha(COLOURS[4], 0.08), points: { show: isolated(tl.delayMs), size: 5, fill: COLOURS[4] } })],
      [delayAxis()],
      rows([tl.delayMs]).columns,
      rows([]).t,
      { scales: { ms: { range: zeroBased } } },
    );
    makeTimeChart(
      'bandwidth',
      [line('received', COLOURS[3], 'mbps', 2, 'Mbps', { fill: withAlpha(COLOURS[3], 0.1) })],
      [yAxis('mbps', 3, '')],
      rows([tl.mbps]).columns,
      rows([]).t,
      { scales: { mbps: { range: zeroBased } } },
    );
    errorsChart(tl);
    clientChart();
  }

  /**
   * Delays reach seconds: "1.5 s" fits the gutter every time chart shares, "1,500 ms" would not. One unit for the
   * whole axis (seconds once its top reaches one), so that its ticks read in order: never "500 ms, 1 s, 1.5 s".
   */
  function delayAxis() {
    return Object.assign(yAxis('ms', 3, 'ms'), {
      values: function (u, splits, axisIdx, space, incr) {
        const seconds = u.scales.ms.max >= 1000;
        return ticks(splits, seconds ? incr / 1000 : incr, function (v, digits) {
          return seconds ? fmt(v / 1000, digits) + ' s' : fmt(v, digits) + ' ms';
        });
      },
    });
  }

  /** A value with no neighbour (a gap on each side) draws no line: such a series shows its points. */
  function isolated(values) {
    return values.some(function (v, i) { return !missing(v) && missing(values[i - 1]) && missing(values[i + 1]); });
  }

  function zeroBased(u, min, max) {
    return [0, max > 0 ? max * 1.1 : 1];
  }

  /** Errors by code as stacked bars (each drawn from 0 to its running total, the largest first), reconnections as a line. */
  function errorsChart(tl) {
    const codes = Object.keys(tl.errors);
    const totals = [];
    let running = tl.t.map(function () { return 0; });
    codes.forEach(function (code) {
      running = running.map(function (sum, i) { return sum + tl.errors[code][i]; });
      totals.push(running);
    });
    const bars = rowBars(tl.seconds);
    const series = [];
    const columns = [];
    for (let k = codes.length - 1; k >= 0; k--) {
      const raw = tl.errors[codes[k]];
      const colour = codes[k] === 'errors' ? RED : COLOURS[(k + 1) % COLOURS.length];
      series.push({
        label: codes[k],
        stroke: colour,
        fill: withAlpha(colour, 0.75),
        width: 0,
        scale: 'n',
        paths: bars,
        points: { show: false },
        value: (function (values) {
          return function (u, v, s, i) { return missing(i) || missing(values[i - lead(u)]) ? '—' : fmt(values[i - lead(u)], 0); };
        })(raw),
      });
      columns.push(totals[k]);
    }
    series.push(line('reconnections', '#0f172a', 'n', 0, '', { width: 1.5, points: { show: true, size: 4 } }));
    columns.push(tl.reconnections);
    makeTimeChart('errors', series, [yAxis('n', 3, '', true)], columns, tl.t, { scales: { n: { range: function (u, min, max) { return [0, Math.max(1, max) * 1.15]; } } } });
  }

  /**
   * Bars that cover their own row: from its start t over its own length (a short last row is a narrow bar), less a
   * small gap between neighbours; each drawn from 0 to its value.
   */
  function rowBars(seconds) {
    return function (u, seriesIdx, idx0, idx1) {
      const path = new Path2D();
      const xs = u.data[0];
      const ys = u.data[seriesIdx];
      const scale = u.series[seriesIdx].scale;
      const offset = lead(u);
      const base = u.valToPos(0, scale, true);
      for (let i = idx0; i <= idx1; i++) {
        const value = ys[i];
        const length = seconds[i - offset];
        if (missing(value) || value === 0 || length === undefined) continue;
        const left = u.valToPos(xs[i], 'x', true);
        const right = u.valToPos(xs[i] + length, 'x', true);
        const gap = Math.min(3 * (window.devicePixelRatio || 1), (right - left) * 0.15);
        const top = u.valToPos(value, scale, true);
        path.rect(left + gap / 2, top, Math.max(1, right - left - gap), base - top);
      }
      return { stroke: path, fill: path, clip: null, band: null, gaps: null, flags: 0 };
    };
  }

  // The index offset spanAxis added in front of the rows (0 or 1).
  function lead(u) {
    return u.data[0].length > 0 && data.timeline.t.length > 0 && u.data[0][0] !== data.timeline.t[0] ? 1 : 0;
  }

  function clientChart() {
    const c = data.client;
    if (!c) return;
    const dashed = { width: 1.5, dash: [6, 4] };
    makeTimeChart(
      'client',
      [
        line('process CPU (% of a core)', COLOURS[0], 'pct', 1, '%'),
        line('machine CPU', COLOURS[2], 'pct', 1, '%', { width: 1.5 }),
        line('CPU limit', withAlpha(COLOURS[0], 0.7), 'pct', 0, '%', dashed),
        line('event-loop p99', COLOURS[1], 'ms', 1, 'ms'),
        line('loop limit', withAlpha(COLOURS[1], 0.7), 'ms', 0, 'ms', dashed),
      ],
      [yAxis('pct', 3, '%'), yAxis('ms', 1, 'ms')],
      [c.processCpuPercent, c.cpuPercent, constant(c.t, c.cpuLimitPercent), c.eventLoopDelayP99Ms, constant(c.t, c.eventLoopLimitMs)],
      c.t,
      {
        scales: {
          pct: { range: function (u, min, max) { return [0, Math.max(100, max * 1.05)]; } },
          ms: { range: function (u, min, max) { return [0, Math.max(c.eventLoopLimitMs * 1.2, max * 1.1)]; } },
        },
      },
      // The limits hold over the whole run, not only at the samples: drawn from 0 to the end.
      [null, null, c.cpuLimitPercent, null, c.eventLoopLimitMs],
    );
  }

  // ---- Distributions, computed by the renderer: drawn here as they are.

  function histogramChart(name, bins, label, unit, colour) {
    if (!bins) return;
    const x = bins.counts.map(function (_, i) { return bins.start + (i + 0.5) * bins.step; });
    // A bin's edges are multiples of its step: written with the decimals the step has (0.005 fps apart: 3).
    const edge = function (v) { return fmt(v, tickDigits(bins.step)); };
    makeChart(
      name,
      200,
      {
        series: [
          { label: label, value: function (u, v) { return missing(v) ? '—' : edge(v - bins.step / 2) + '–' + edge(v + bins.step / 2) + ' ' + unit; } },
          { label: 'streams', stroke: colour, fill: withAlpha(colour, 0.7), width: 1, paths: uPlot.paths.bars({ size: [0.92, Infinity] }), points: { show: false } },
        ],
        scales: {
          x: { time: false, range: function () { return [bins.start, bins.start + bins.counts.length * bins.step]; } },
          y: { range: function (u, min, max) { return [0, Math.max(1, max) * 1.1]; } },
        },
        axes: [
          axis({ values: function (u, splits, axisIdx, space, incr) { return ticks(splits, incr, function (v, digits) { return fmt(v, digits) + ' ' + unit; }); } }),
          axis({ size: 48, incrs: COUNT_INCRS, values: function (u, splits, axisIdx, space, incr) { return ticks(splits, incr, fmt); } }),
        ],
        legend: { live: true },
      },
      [x, bins.counts],
    );
  }

  /** The renderer's ticks (50 %, 90 %, 99 %, …) within the scale shown, zoomed or not. */
  function percentileSplits(curve) {
    return function (u) {
      const min = u.scales.x.min / 1.0001;
      const max = u.scales.x.max * 1.0001;
      return curve.ticks.x.filter(function (x) { return x >= min && x <= max; });
    };
  }

  /**
   * Labels that would overlap are left out (null), the lower ones first kept: uPlot's own filter for log scales
   * thins by leading digit, which knows nothing of 1/(1−p).
   */
  function spacedLabels(u, splits, axisIdx) {
    let lastRight = -Infinity;
    return splits.map(function (x) {
      const label = percentileText(u, x);
      const width = label.length * 7 + 8;
      const centre = u.valToPos(x, u.axes[axisIdx].scale);
      if (centre - width / 2 < lastRight) return null;
      lastRight = centre + width / 2;
      return x;
    });
  }

  function percentileText(u, x) {
    const curve = data.distributions.frameGapMs;
    const i = curve.ticks.x.indexOf(x);
    return i === -1 ? '' : curve.ticks.labels[i];
  }

  // Wide enough for the longest label ("12,345 ms"), measured rather than guessed.
  function msAxisSize(u, values) {
    const longest = (values || []).reduce(function (n, v) { return Math.max(n, String(v).length); }, 4);
    return 16 + longest * 7;
  }

  function gapChart(curve) {
    if (!curve) return;
    makeChart(
      'gap-percentiles',
      200,
      {
        series: [
          { label: 'percentile', value: function (u, v, s, i) { return missing(i) || missing(curve.labels[i]) ? '—' : curve.labels[i]; } },
          line('frame gap', COLOURS[3], 'y', 0, 'ms', { points: { show: true, size: 5 }, fill: withAlpha(COLOURS[3], 0.08) }),
        ],
        scales: { x: { time: false, distr: 3, log: 10 }, y: { range: zeroBased } },
        axes: [
          axis({ splits: percentileSplits(curve), filter: spacedLabels, values: function (u, splits) { return splits.map(function (x) { return missing(x) ? null : percentileText(u, x); }); } }),
          axis({ size: msAxisSize, values: function (u, splits, axisIdx, space, incr) { return ticks(splits, incr, function (v, digits) { return fmt(v, digits) + ' ms'; }); } }),
        ],
        legend: { live: true },
      },
      [curve.x, curve.ms],
    );
  }

  function trialsChart(trials) {
    const order = trials.streams.map(function (_, i) { return i; }).sort(function (a, b) { return trials.streams[a] - trials.streams[b]; });
    const pick = function (values, keep) { return order.map(function (i) { return keep(i) ? values[i] : null; }); };
    const x = order.map(function (i) { return trials.streams[i]; });
    const dots = function (colour) { return { show: true, size: 11, width: 2, stroke: colour, fill: withAlpha(colour, 0.85) }; };
    const min = x.length > 0 ? x[0] : 0;
    const max = x.length > 0 ? x[x.length - 1] : 1;
    makeChart(
      'trials',
      260,
      {
        series: [
          { label: 'streams', value: function (u, v) { return missing(v) ? '—' : fmt(v, 0) + ' streams'; } },
          line('all trials', GREY, 'y', 2, 'fps', { width: 1 }),
          line('stable', GREEN, 'y', 2, 'fps', { paths: function () { return null; }, points: dots(GREEN) }),
          line('unstable', RED, 'y', 2, 'fps', { paths: function () { return null; }, points: dots(RED) }),
          line('fps floor', '#475569', 'y', 2, 'fps', { width: 1, dash: [6, 4] }),
        ],
        scales: {
          x: { time: false, range: function () { const pad = Math.max(1, (max - min) * 0.06); return [Math.max(0, min - pad), max + pad]; } },
          y: { range: zeroBased },
        },
        axes: [
          axis({ incrs: COUNT_INCRS, values: function (u, splits, axisIdx, space, incr) { return ticks(splits, incr, fmt); } }),
          axis({ size: 56, values: function (u, splits, axisIdx, space, incr) { return ticks(splits, incr, function (v, digits) { return fmt(v, digits) + ' fps'; }); } }),
        ],
        legend: { live: true },
      },
      [
        x,
        pick(trials.fpsPerStream, function () { return true; }),
        pick(trials.fpsPerStream, function (i) { return trials.stable[i] === 1; }),
        pick(trials.fpsPerStream, function (i) { return trials.stable[i] !== 1; }),
        pick(trials.minFps, function () { return true; }),
      ],
    );
  }

  // ---- The camera table: sort by a header, filter, page; the rows come from the embedded data.

  function cameraTable(table, pageSize) {
    const element = document.getElementById('cameras');
    if (!element) return;
    const tbody = element.tBodies[0];
    const strings = table.strings;
    const rows = table.rows;
    const col = {};
    table.columns.forEach(function (name, i) { col[name] = i; });
    const filterInput = document.getElementById('camera-filter');
    const reset = document.getElementById('camera-reset');
    const count = document.getElementById('camera-count');
    const pager = document.getElementById('camera-pager');
    const groupSelect = document.getElementById('camera-group');
    // A run with viewer groups: each row's group, apart from the rows (camera-rows.ts).
    const viewers = table.viewers || null;
    const headers = Array.prototype.slice.call(element.querySelectorAll('th[data-sort]'));
    const str = function (ref) { return ref >= 0 ? strings[ref] : ''; };
    const searchable = [];
    const state = { key: null, dir: 1, filter: '', group: '', page: 0 };
    const groupOf = function (i) { return viewers ? str(viewers[i]) : ''; };
    let view = rows.map(function (_, i) { return i; });

    function text(row) {
      const i = row;
      if (searchable[i] === undefined) {
        const r = rows[i];
        const fresh = (r[col.frozen] > 0 ? 'frozen\n' : '') + (r[col.growingDelay] === 1 ? 'growing delay' : '');
        searchable[i] = [str(r[col.cameraId]), str(r[col.name]), str(r[col.errors]), str(r[col.lastError]), fresh].join('\n').toLowerCase();
      }
      return searchable[i];
    }

    const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });
    // Columns where -1 stands for "not measured" (camera-rows.ts).
    const OPTIONAL = { fps: true, freshFps: true, delayP95: true, repeated: true, frozen: true };
    function compare(key) {
      const c = col[key];
      if (key === 'cameraId') return function (a, b) { return collator.compare(str(rows[a][c]), str(rows[b][c])) || collator.compare(str(rows[a][col.name]), str(rows[b][col.name])); };
      if (key === 'viewers') return function (a, b) { return collator.compare(groupOf(a), groupOf(b)); };
      if (key === 'lastError') return function (a, b) { return collator.compare(str(rows[a][c]), str(rows[b][c])); };
      return function (a, b) { return rows[a][c] - rows[b][c]; };
    }

    function update() {
      const needle = state.filter.trim().toLowerCase();
      let list = rows.map(function (_, i) { return i; });
      if (needle !== '') list = list.filter(function (i) { return text(i).indexOf(needle) !== -1; });
      if (state.group !== '') list = list.filter(function (i) { return groupOf(i) === state.group; });
      if (state.key !== null) {
        const by = compare(state.key);
        const dir = state.dir;
        const c = col[state.key];
        // -1 is "not measured": last whichever way. Ties keep the problems-first order the rows came in.
        const unmeasuredLast = OPTIONAL[state.key]
          ? function (a, b) { return (rows[a][c] < 0 ? 1 : 0) - (rows[b][c] < 0 ? 1 : 0); }
          : function () { return 0; };
        list.sort(function (a, b) { return unmeasuredLast(a, b) || dir * by(a, b) || a - b; });
      }
      view = list;
      const pages = Math.max(1, Math.ceil(view.length / pageSize));
      state.page = Math.min(state.page, pages - 1);
      render(pages);
    }

    function cell(tr, value, className) {
      const td = document.createElement('td');
      if (className) td.className = className;
      td.textContent = value;
      tr.appendChild(td);
      return td;
    }

    function badge(td, yes) {
      td.textContent = '';
      const span = document.createElement('span');
      span.className = 'badge ' + (yes ? 'badge-good' : 'badge-bad');
      span.textContent = yes ? 'yes' : 'no';
      td.appendChild(span);
    }

    // The groups camera-load knows (src/viewers.ts) have a colour; a report file may name any other.
    const KNOWN_GROUPS = { normal: true, slow: true, pausing: true, stuck: true };
    function groupBadge(td, group) {
      const span = document.createElement('span');
      span.className = 'badge viewers' + (KNOWN_GROUPS[group] === true ? ' viewers-' + group : '');
      span.textContent = group;
      td.appendChild(span);
    }

    function optional(value, text) {
      return value < 0 ? '—' : text;
    }

    function delayCell(tr, r) {
      const td = cell(tr, optional(r[col.delayP95], fmt(r[col.delayP95], 0) + ' ms'), 'num');
      if (r[col.growingDelay] !== 1) return;
      const span = document.createElement('span');
      span.className = 'badge badge-warn';
      span.textContent = 'growing';
      td.append(' ', span);
    }

    function render(pages) {
      const start = state.page * pageSize;
      const slice = view.slice(start, start + pageSize);
      const fragment = document.createDocumentFragment();
      for (const i of slice) {
        const r = rows[i];
        const tr = document.createElement('tr');
        // As camera-rows.ts counts them: FROZEN events and a growing delay are problems too.
        const problems = r[col.reconnections] + r[col.stalls] + r[col.errorCount] + Math.max(0, r[col.frozen]) + r[col.growingDelay];
        tr.className = r[col.opened] === 0 ? 'row-bad' : problems > 0 ? 'row-warn' : '';
        cell(tr, String(r[col.index]), 'num');
        const camera = cell(tr, '', '');
        const id = document.createElement('span');
        id.className = 'cam-id';
        id.textContent = str(r[col.cameraId]);
        const name = document.createElement('span');
        name.className = 'cam-name';
        name.textContent = str(r[col.name]);
        camera.append(id, ' ', name);
        if (table.perCamera) cell(tr, String(r[col.ordinal]), 'num');
        if (viewers) groupBadge(cell(tr, '', ''), groupOf(i));
        badge(cell(tr, '', ''), r[col.opened] === 1);
        cell(tr, optional(r[col.fps], r[col.fps].toFixed(2)), 'num');
        if (table.freshness) cell(tr, optional(r[col.freshFps], r[col.freshFps].toFixed(2)), 'num');
        cell(tr, r[col.frames].toLocaleString('en-US'), 'num');
        cell(tr, r[col.reconnections].toLocaleString('en-US'), 'num');
        cell(tr, r[col.stalls].toLocaleString('en-US'), 'num');
        cell(tr, (r[col.uptime] * 100).toFixed(1) + '\u00a0%', 'num');
        if (table.freshness) {
          delayCell(tr, r);
          cell(tr, optional(r[col.repeated], r[col.repeated].toLocaleString('en-US')), 'num');
          cell(tr, optional(r[col.frozen], r[col.frozen].toLocaleString('en-US')), 'num');
        }
        cell(tr, str(r[col.errors]) || '—', 'errs');
        cell(tr, str(r[col.lastError]) || '—', 'last-error');
        fragment.appendChild(tr);
      }
      tbody.replaceChildren(fragment);
      const total = rows.length.toLocaleString('en-US');
      const order = state.key === null ? 'problems first' : 'sorted by ' + headerLabel(state.key) + (state.dir > 0 ? ', ascending' : ', descending');
      count.textContent = view.length === 0
        ? 'No stream matches the filter (' + total + ' streams).'
        : 'Showing ' + (start + 1).toLocaleString('en-US') + '–' + (start + slice.length).toLocaleString('en-US') + ' of ' +
          view.length.toLocaleString('en-US') + (view.length !== rows.length ? ' matching (' + total + ' streams)' : ' streams') + ', ' + order + '.';
      reset.disabled = state.key === null;
      for (const th of headers) {
        if (th.dataset.sort === state.key) th.setAttribute('aria-sort', state.dir > 0 ? 'ascending' : 'descending');
        else th.removeAttribute('aria-sort');
      }
      renderPager(pages);
    }

    function headerLabel(key) {
      const th = headers.find(function (h) { return h.dataset.sort === key; });
      return th ? th.textContent.toLowerCase() : key;
    }

    function pageButton(label, page, disabled) {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'button';
      button.textContent = label;
      button.disabled = disabled;
      button.addEventListener('click', function () {
        state.page = page;
        update();
      });
      return button;
    }

    function renderPager(pages) {
      if (pages <= 1) {
        pager.replaceChildren();
        return;
      }
      const where = document.createElement('span');
      where.className = 'muted';
      where.textContent = 'Page ' + (state.page + 1) + ' of ' + pages;
      pager.replaceChildren(
        pageButton('« First', 0, state.page === 0),
        pageButton('‹ Previous', state.page - 1, state.page === 0),
        where,
        pageButton('Next ›', state.page + 1, state.page >= pages - 1),
        pageButton('Last »', pages - 1, state.page >= pages - 1),
      );
    }

    // Counts and problems read best largest first; names, ids and rates from the start.
    const DESCENDING_FIRST = { frames: true, reconnections: true, stalls: true, errorCount: true, delayP95: true, repeated: true, frozen: true };
    function sortBy(key) {
      if (state.key === key) state.dir = -state.dir;
      else {
        state.key = key;
        state.dir = DESCENDING_FIRST[key] ? -1 : 1;
      }
      state.page = 0;
      update();
    }
    for (const th of headers) {
      th.tabIndex = 0;
      th.title = 'Sort by ' + th.textContent.toLowerCase();
      th.addEventListener('click', function () { sortBy(th.dataset.sort); });
      th.addEventListener('keydown', function (event) {
        if (event.key === 'Enter' || event.key === ' ') {
          event.preventDefault();
          sortBy(th.dataset.sort);
        }
      });
    }
    let typing = 0;
    filterInput.disabled = false;
    filterInput.addEventListener('input', function () {
      clearTimeout(typing);
      typing = setTimeout(function () {
        state.filter = filterInput.value;
        state.page = 0;
        update();
      }, 120);
    });
    if (groupSelect && viewers) {
      groupSelect.disabled = false;
      groupSelect.addEventListener('change', function () {
        state.group = groupSelect.value;
        state.page = 0;
        update();
      });
    }
    reset.addEventListener('click', function () {
      state.key = null;
      state.dir = 1;
      state.page = 0;
      update();
    });
    update();
  }

  if (data.kind === 'run') {
    timeCharts();
    histogramChart('fps-histogram', data.distributions.fpsPerStream, 'fps', 'fps', COLOURS[0]);
    histogramChart('ttff-histogram', data.distributions.timeToFirstFrameMs, 'time to first frame', 'ms', COLOURS[5]);
    gapChart(data.distributions.frameGapMs);
    cameraTable(data.cameras, data.pageSize);
  } else if (data.kind === 'max') {
    trialsChart(data.trials);
  }
  tableDone = true;
  markRendered();
})();
