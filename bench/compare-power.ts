// The power of `compare`: the smallest change each figure detects at 50, 500 and 2,000 streams. Two identical real
// runs at each size (the fleet in its own process), then NEW degraded in-process by an amount (bench/compare-degrade.ts)
// and compareReports (the library the CLI runs) asked for its verdict; the amount is bisected until the figure turns
// worse. Both orders (A against B degraded, B against A degraded) are tried and the larger amount kept, since the two
// runs differ a little by themselves.
// Run: npm run bench -- compare-power [--seconds S] [--streams 50,500,2000]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareReports } from '../src/compare/compare-reports.js';
import type { NoiseThreshold } from '../src/compare/compare-types.js';
import { streamFigureData, streamFigures, type FigureData } from '../src/compare/figures.js';
import { judge, type Judged } from '../src/compare/judge.js';
import { noiseOf } from '../src/compare/noise.js';
import { readAnyReport } from '../src/files/read-reports.js';
import type { Report } from '../src/report/report-types.js';
import { runCameraLoad, wholeRun, withFleets } from './compare-runs.js';
import { DEGRADATIONS, degraded, type Degradation } from './compare-degrade.js';
import { loadAverage } from './timing.js';

export interface ComparePowerOptions {
  seconds?: number;
  streams?: number[];
}

/** Halvings of the interval: the amount is found to 1/2^10 of the largest tried. */
const STEPS = 10;

/** As compareReports widens a threshold: never below one frame over a stream's watched time. */
function widened(threshold: NoiseThreshold, base: FigureData, next: FigureData): NoiseThreshold {
  const resolution = Math.max(base.kind === 'percentile' ? 0 : (base.resolution ?? 0), next.kind === 'percentile' ? 0 : (next.resolution ?? 0));
  return resolution > threshold.absolute ? { ...threshold, absolute: resolution } : threshold;
}

/**
 * The figure's whole-run line, judged by the functions compareReports runs (figures.ts, noise.ts, judge.ts) for this
 * figure alone: compareReports judges every figure, and its bootstraps at 2,000 streams made the bisections minutes long.
 */
function lineAt(base: Report, next: Report, degradation: Degradation, amount: number): Judged | undefined {
  const worse = degraded(next, degradation, amount);
  const spec = streamFigures(base.streams, worse.streams).find((s) => s.figure === degradation.figure);
  if (spec === undefined) return undefined;
  const [b, n] = [streamFigureData(spec, base.streams, base), streamFigureData(spec, worse.streams, worse)];
  return judge(spec, b, n, widened(noiseOf(spec.figure, undefined), b, n));
}

/** compareReports itself at an amount: the check that the line judged alone reads as the whole comparison does. */
function compareVerdict(base: Report, next: Report, degradation: Degradation, amount: number): string {
  const result = compareReports({
    base,
    next: degraded(next, degradation, amount),
    files: { base: 'A', next: 'B' },
    allowDifferentPlans: false,
    version: 'bench',
  });
  return wholeRun(result).get(degradation.figure)?.verdict ?? 'absent';
}

/** The smallest amount at which `reads` holds (Infinity: not even at the most tried). */
function smallest(base: Report, next: Report, degradation: Degradation, reads: (line: Judged) => boolean): number {
  const holds = (amount: number): boolean => {
    const line = lineAt(base, next, degradation, amount);
    return line !== undefined && reads(line);
  };
  if (!holds(degradation.most)) return Infinity;
  let [low, high] = [0, degradation.most];
  for (let step = 0; step < STEPS; step++) {
    const middle = (low + high) / 2;
    if (holds(middle)) high = middle;
    else low = middle;
  }
  return high;
}

interface Found {
  worse: number;
  significant: number;
  /** compareReports agreed at the amount found. */
  checked: boolean;
}

function powerOf(a: Report, b: Report, degradation: Degradation): Found {
  const orders: [Report, Report][] = [
    [a, b],
    [b, a],
  ];
  const downward = ['fps', 'freshFps', 'bandwidth'].includes(degradation.figure);
  const worseWay = (l: Judged): boolean => l.significant && l.change !== null && (downward ? l.change < 0 : l.change > 0);
  const worse = Math.max(...orders.map(([x, y]) => smallest(x, y, degradation, (l) => l.verdict === 'worse')));
  const significant = Math.max(...orders.map(([x, y]) => smallest(x, y, degradation, worseWay)));
  // Just past the amount found, compareReports must read worse too, in both orders.
  const checked = Number.isFinite(worse) && orders.every(([x, y]) => compareVerdict(x, y, degradation, Math.min(degradation.most, worse * 1.01)) === 'worse');
  return { worse, significant, checked };
}

const amountText = (degradation: Degradation, amount: number, seconds: number): string => {
  if (!Number.isFinite(amount)) return `> ${degradation.unit === 'ms' ? `${degradation.most} ms` : `${(degradation.most * 100).toFixed(0)}%`}`;
  if (degradation.unit === 'ms') return `${amount.toFixed(0)} ms`;
  if (degradation.unit === 'streams') return `${(amount * 100).toFixed(1)}% (${((amount * 3600) / seconds).toFixed(0)}/stream-h)`;
  return `${(amount * 100).toFixed(1)}%`;
};

interface Scale {
  streams: number;
  found: Map<string, Found>;
  load: string;
  milliseconds: number;
}

async function measureScale(streams: number, seconds: number, dir: string): Promise<Scale> {
  // A low frame size keeps 2,000 streams within what camera-load and the fleet hold on a 2-core machine.
  const [a, b] = await withFleets([['--frame-size', '5KB']], streams, async ([fleet]) => {
    if (fleet === undefined) throw new Error('no fleet');
    await runCameraLoad(fleet, streams, 3, dir, `warm-up-${streams}`);
    return [await runCameraLoad(fleet, streams, seconds, dir, `a-${streams}`), await runCameraLoad(fleet, streams, seconds, dir, `b-${streams}`)] as const;
  });
  const runReport = async (file: string): Promise<Report> => {
    const report = await readAnyReport(file);
    if (report.command !== 'run') throw new Error(`${file}: not a run's report`);
    return report;
  };
  const [base, next] = [await runReport(a), await runReport(b)];
  const started = Date.now();
  const found = new Map<string, Found>();
  for (const degradation of DEGRADATIONS) {
    found.set(degradation.figure, powerOf(base, next, degradation));
    process.stderr.write(
      `[compare-power ${streams}] ${degradation.figure}: worse from ${amountText(degradation, found.get(degradation.figure)?.worse ?? NaN, seconds)}\n`,
    );
  }
  return { streams, found, load: loadAverage(), milliseconds: Date.now() - started };
}

export async function runComparePowerBench(options: ComparePowerOptions): Promise<string> {
  const seconds = options.seconds ?? 10;
  const sizes = options.streams ?? [50, 500, 2000];
  const dir = mkdtempSync(join(tmpdir(), 'bench-compare-power-'));
  const scales: Scale[] = [];
  try {
    for (const streams of sizes) scales.push(await measureScale(streams, seconds, dir));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const cell = (scale: Scale, degradation: Degradation): string => {
    const found = scale.found.get(degradation.figure);
    if (found === undefined) return '';
    const agreed = found.checked || !Number.isFinite(found.worse) ? '' : ' ✗ compareReports disagreed';
    return `${amountText(degradation, found.worse, seconds)} (significant from ${amountText(degradation, found.significant, seconds)})${agreed}`;
  };
  return [
    `**The smallest uniform degradation of NEW that reads worse, per figure: two identical ${seconds} s runs at each size (5 fps × 5 KB), ` +
      `the larger amount of both orders; in brackets, where the change alone turns significant. Load average after each size: ${scales.map((s) => `${s.streams}: ${s.load}`).join('; ')}**`,
    '',
    `| figure | degraded as | ${scales.map((s) => `${s.streams.toLocaleString('en-US')} streams`).join(' | ')} |`,
    `|---|---|${scales.map(() => '---:').join('|')}|`,
    ...DEGRADATIONS.map((d) => `| \`${d.figure}\` | ${d.how} | ${scales.map((s) => cell(s, d)).join(' | ')} |`),
    '',
    `Bisection time (${STEPS} steps × 4 searches per figure): ${scales.map((s) => `${s.streams}: ${(s.milliseconds / 1000).toFixed(0)} s`).join(', ')}.`,
  ].join('\n');
}
