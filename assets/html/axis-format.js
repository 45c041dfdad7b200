/* camera-load HTML report: the axis helpers the page script uses, pure functions apart from the page so that
 * they run in the unit tests as they do in the browser. Plain ES2020 without modules (the page works from file://);
 * it defines one global, CameraLoadAxis. */
(function (root) {
  'use strict';

  /**
   * Decimals a tick label needs for ticks `incr` apart (0.25 apart: 2; 0.0005 apart: 4), so that neighbouring ticks
   * never print alike: fixed decimals collapse 0.25, 0.5 and 0.75 ms into "0 ms, 1 ms, 1 ms".
   */
  function tickDigits(incr) {
    if (!(incr > 0) || !isFinite(incr)) return 0;
    for (let digits = 0; digits < 10; digits++) {
      const scaled = incr * Math.pow(10, digits);
      if (Math.abs(scaled - Math.round(scaled)) < 1e-6 * Math.max(1, scaled)) return digits;
    }
    return 10;
  }

  // uPlot marks gaps and an idle cursor with null or undefined alike.
  function missing(value) {
    return value === null || value === undefined;
  }

  /** A figure at `digits` decimals at most, thousands separated; a gap as a dash. */
  function fmt(value, digits) {
    if (missing(value) || !isFinite(value)) return '—';
    return Number(value.toFixed(digits)).toLocaleString('en-US', { maximumFractionDigits: digits });
  }

  /** Tick labels at the decimals their spacing needs; null (a label uPlot was told to leave out) stays null. */
  function ticks(splits, incr, format) {
    const digits = tickDigits(incr);
    return splits.map(function (v) { return missing(v) ? null : format(v, digits); });
  }

  root.CameraLoadAxis = { tickDigits: tickDigits, missing: missing, fmt: fmt, ticks: ticks };
})(globalThis);
