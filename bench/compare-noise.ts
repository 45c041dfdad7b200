// Identical runs compared: N pairs of `camera-load run` against one simulated fleet (its own process), each pair
// then through `camera-load compare --output`, as a user runs them. Whatever the comparison calls a change here is a
// false alarm, and the spread of the changes is the noise the thresholds of src/compare/noise.ts must stand above.
// Run: npm run bench -- compare-noise [--pairs N] [--streams N] [--seconds S] [--keep DIR]
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CompareResult } from '../src/compare/compare-types.js';
import { compareCli, deadline, figureValue, percent, runCameraLoad, tallyFigures, withFleets } from './compare-runs.js';
import { check, loadAverage } from './timing.js';

export interface CompareNoiseOptions {
  pairs?: number;
  streams?: number;
  seconds?: number;
  /** Keep the reports and results here, to read the pairs again (not removed). */
  keep?: string;
}

export async function runCompareNoiseBench(options: CompareNoiseOptions): Promise<string> {
  const pairs = options.pairs ?? 20;
  const streams = options.streams ?? 50;
  const seconds = options.seconds ?? 10;
  const dir = options.keep ?? mkdtempSync(join(tmpdir(), 'bench-compare-noise-'));
  mkdirSync(dir, { recursive: true });
  // Each run takes its duration plus about 2 s to start and stop; twice that is the bound.
  const within = deadline(Math.ceil((pairs * 2 * (seconds + 10)) / 60) + 5);
  const loads = [loadAverage()];
  const results: CompareResult[] = [];
  try {
    await withFleets([[]], streams, async ([fleet]) => {
      if (fleet === undefined) throw new Error('no fleet');
      // Not counted: the fleet's and Node's first connections run cold code.
      await runCameraLoad(fleet, streams, 3, dir, 'warm-up');
      for (let pair = 1; pair <= pairs; pair++) {
        within(`pair ${pair}`);
        const base = await runCameraLoad(fleet, streams, seconds, dir, `pair-${pair}-base`);
        const next = await runCameraLoad(fleet, streams, seconds, dir, `pair-${pair}-new`);
        const result = await compareCli(base, next, join(dir, `pair-${pair}-compare.json`));
        results.push(result);
        if (pair % 5 === 0) loads.push(loadAverage());
        const moved = result.lines.filter((l) => l.verdict !== 'same' && l.verdict !== 'not compared').map((l) => `${l.figure} ${l.verdict}`);
        process.stderr.write(`[compare-noise ${pair}/${pairs}] ${result.verdict}${moved.length > 0 ? `: ${moved.join(', ')}` : ''}; load ${loadAverage()}\n`);
      }
    });
  } finally {
    if (options.keep === undefined) rmSync(dir, { recursive: true, force: true });
  }
  return formatNoise(results, { pairs, streams, seconds, loads });
}

export function formatNoise(results: readonly CompareResult[], run: { pairs: number; streams: number; seconds: number; loads: string[] }): string {
  const tallies = tallyFigures(results);
  const rows = tallies.map(
    (t) =>
      `| \`${t.figure}\` | ${t.threshold} | ${t.notSame} of ${t.pairs} | ${t.significant} of ${t.pairs} | ` +
      `${figureValue(t.absolute.median)} / ${figureValue(t.absolute.max)} | ${Number.isNaN(t.relative.median) ? '—' : `${percent(t.relative.median)} / ${percent(t.relative.max)}`} |`,
  );
  const alarms = tallies.filter((t) => t.notSame > 0);
  const pairsAlarmed = results.filter((r) => r.verdict !== 'same').length;
  return [
    `**${run.pairs} pairs of identical runs: ${run.streams} streams × 5 fps × 20 KB for ${run.seconds} s each, one simulated fleet in its own process; ` +
      `each pair through \`camera-load compare\`. Load average (1, 5, 15 min) every 5 pairs: ${run.loads.join('; ')}**`,
    '',
    '| figure | threshold (share, floor) | false alarms (not same) | significant | \\|change\\| median / max | \\|relative change\\| median / max |',
    '|---|---|---:|---:|---:|---:|',
    ...rows,
    '',
    check(
      alarms.length === 0,
      `false alarms: ${pairsAlarmed} of ${run.pairs} pairs not same overall${alarms.length === 0 ? '' : ` (${alarms.map((t) => `${t.figure} ${t.notSame}`).join(', ')})`} (target 0 of ${run.pairs})`,
    ),
  ].join('\n');
}
