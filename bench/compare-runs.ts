// What the compare benches share: simulated fleets in their own processes, `camera-load run` and `camera-load compare`
// as whole processes (the real CLI a user runs, every process bounded in time), and the per-figure tally of many pairs.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CompareLine, CompareResult } from '../src/compare/compare-types.js';
import { startFleetProcess, type FleetProcess } from '../src/sim/fleet-process.js';
import { median, timed } from './timing.js';

export const CLI = fileURLToPath(new URL('../../bin/camera-load.js', import.meta.url));

/** A fleet of `cameras` at 5 fps × 20 KB unless `extra` says otherwise (simulate's last occurrence of a flag wins). */
export async function withFleets<T>(configs: readonly (readonly string[])[], cameras: number, use: (fleets: FleetProcess[]) => Promise<T>): Promise<T> {
  const fleets: FleetProcess[] = [];
  try {
    for (const extra of configs) {
      fleets.push(await startFleetProcess(['--cameras', String(cameras), '--inactive', '0', '--fps', '5', '--frame-size', '20KB', ...extra]));
    }
    return await use(fleets);
  } finally {
    await Promise.all(fleets.map((fleet) => fleet.stop()));
  }
}

/** One quiet `camera-load run` of `streams` for `seconds` against a fleet's API; its report's path (throws without one). */
export async function runCameraLoad(fleet: FleetProcess, streams: number, seconds: number, dir: string, name: string): Promise<string> {
  const report = join(dir, `${name}.json`);
  const args = ['run', '--api-url', fleet.apiUrl, '--max-streams', String(streams), '--duration', String(seconds), '--quiet'];
  const run = await timed([process.execPath, CLI, ...args, '--output', report, '--log', join(dir, `${name}.log`)], (seconds + 90) * 1000);
  if (!existsSync(report)) throw new Error(`camera-load run ${name} wrote no report (exit ${run.code})`);
  return report;
}

/** `camera-load compare BASE NEW --output` as a user runs it; its JSON result. */
export async function compareCli(base: string, next: string, output: string): Promise<CompareResult> {
  const run = await timed([process.execPath, CLI, 'compare', base, next, '--quiet', '--output', output], 120_000);
  // 0: same or better, 1: a figure worse; anything else is the tool refusing or failing.
  if (run.code !== 0 && run.code !== 1) throw new Error(`camera-load compare exited with ${run.code}`);
  return JSON.parse(readFileSync(output, 'utf8')) as CompareResult;
}

/** The lines over the whole run (no viewer group, no stage), by figure. */
export const wholeRun = (result: CompareResult): Map<string, CompareLine> =>
  new Map(result.lines.filter((l) => l.scope.viewers === undefined && l.scope.stage === undefined).map((l) => [l.figure, l]));

/** The figures in the order compare prints them, error codes last. */
export function figureOrder(results: readonly CompareResult[]): string[] {
  const seen: string[] = [];
  for (const result of results) for (const figure of wholeRun(result).keys()) if (!seen.includes(figure)) seen.push(figure);
  return [...seen.filter((f) => !f.startsWith('errors.')), ...seen.filter((f) => f.startsWith('errors.')).sort()];
}

export const percent = (share: number): string => `${(share * 100).toFixed(share < 0.1 ? 1 : 0)}%`;

/** A figure's value as the table prints it: 3 significant digits, no exponent. */
export const figureValue = (value: number): string => (Math.abs(value) >= 100 ? value.toFixed(0) : Math.abs(value) >= 1 ? value.toFixed(2) : value.toFixed(3));

export interface FigureTally {
  figure: string;
  pairs: number;
  notSame: number;
  worse: number;
  better: number;
  significant: number;
  /** |new − base| ÷ base over the pairs where base ≠ 0. */
  relative: { median: number; max: number };
  /** |new − base| in the figure's unit. */
  absolute: { median: number; max: number };
  threshold: string;
}

/** Per figure over many compare results: how often it read other than same, was significant, and how far it moved. */
export function tallyFigures(results: readonly CompareResult[]): FigureTally[] {
  return figureOrder(results).map((figure) => {
    const lines = results.flatMap((r) => {
      const line = wholeRun(r).get(figure);
      return line === undefined || line.verdict === 'not compared' ? [] : [line];
    });
    const relative = lines.flatMap((l) => (l.relativeChange === null ? [] : [Math.abs(l.relativeChange)]));
    const absolute = lines.flatMap((l) => (l.change === null ? [] : [Math.abs(l.change)]));
    const threshold = lines[0]?.threshold;
    return {
      figure,
      pairs: lines.length,
      notSame: lines.filter((l) => l.verdict !== 'same').length,
      worse: lines.filter((l) => l.verdict === 'worse').length,
      better: lines.filter((l) => l.verdict === 'better').length,
      significant: lines.filter((l) => l.significant).length,
      relative: { median: median(relative), max: relative.length === 0 ? NaN : Math.max(...relative) },
      absolute: { median: median(absolute), max: absolute.length === 0 ? NaN : Math.max(...absolute) },
      threshold: threshold === undefined ? '' : `${percent(threshold.relative)}, ${figureValue(threshold.absolute)} ${lines[0]?.unit ?? ''}`,
    };
  });
}

/** A bounded loop's guard: stops a scenario that has run past its time budget, saying how far it got. */
export function deadline(minutes: number): (what: string) => void {
  const until = Date.now() + minutes * 60_000;
  return (what) => {
    if (Date.now() > until) throw new Error(`over the scenario's ${minutes}-minute budget at ${what}`);
  };
}
