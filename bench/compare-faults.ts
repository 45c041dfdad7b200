// Known degradations: for each fault of the simulator, N pairs of a run against a healthy fleet and a run against a
// faulty one (each fleet its own process, the same cameras), through `camera-load compare` both ways. The figure the
// fault hits must read worse in every pair and better when the pair is reversed (an improvement); the figures it
// does not touch must read same.
// Run: npm run bench -- compare-faults [--pairs N] [--seconds S] [--streams N] [--keep DIR]
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CompareResult } from '../src/compare/compare-types.js';
import type { FleetProcess } from '../src/sim/fleet-process.js';
import { compareCli, deadline, runCameraLoad, wholeRun, withFleets } from './compare-runs.js';
import { check, loadAverage } from './timing.js';

interface Fault {
  label: string;
  flags: string[];
  /** The figures it must read worse. */
  targets: string[];
  /** The other figures it moves by its own doing (a slower stream has longer gaps); every figure beyond is untouched. */
  touches: string[];
}

// 50 streams × 5 fps × 20 KB ask about 5 MB/s of the fleet.
const FAULTS: readonly Fault[] = [
  {
    label: 'lower frame rate, `--fps 4` (5 healthy)',
    flags: ['--fps', '4'],
    targets: ['fps'],
    touches: ['freshFps', 'bandwidth', 'frameGap.p50', 'frameGap.p99'],
  },
  {
    label: 'bandwidth, `--bandwidth 4MB/s` (about 80% of the demand)',
    flags: ['--bandwidth', '4MB/s'],
    targets: ['bandwidth'],
    touches: ['fps', 'freshFps', 'frameGap.p50', 'frameGap.p99'],
  },
  {
    label: 'growing lag, `--lag 1s:1s` (to 1 s within the first second, then held)',
    flags: ['--lag', '1s:1s'],
    targets: ['delay.p50', 'delay.p99'],
    // Past the p99 delay's 450 ms floor. While the lag grows the frames come late: 1 s of frames lost over the run.
    touches: ['fps', 'freshFps', 'bandwidth', 'frameGap.p50', 'frameGap.p99'],
  },
  {
    label: 'dropped connections, `--drop-every 25` (every 5 s)',
    flags: ['--drop-every', '25'],
    targets: ['reconnections'],
    touches: ['errors.*', 'fps', 'freshFps', 'frameGap.p99', 'bandwidth'],
  },
];

export interface CompareFaultsOptions {
  pairs?: number;
  streams?: number;
  seconds?: number;
  keep?: string;
}

interface FaultPairs {
  fault: Fault;
  /** healthy → faulty, and faulty → healthy, per pair. */
  worse: CompareResult[];
  better: CompareResult[];
}

async function faultPairs(fault: Fault, healthy: FleetProcess, run: { pairs: number; streams: number; seconds: number; dir: string }): Promise<FaultPairs> {
  const { pairs, streams, seconds, dir } = run;
  const within = deadline(Math.ceil((pairs * 2 * (seconds + 12)) / 60) + 3);
  const name = fault.flags.join('').replace(/[^a-z0-9]/gi, '');
  return withFleets([fault.flags], streams, async ([faulty]) => {
    if (faulty === undefined) throw new Error('no fleet');
    const out: FaultPairs = { fault, worse: [], better: [] };
    for (let pair = 1; pair <= pairs; pair++) {
      within(`${name} pair ${pair}`);
      // Which goes first alternates, so that a drift of the machine falls on both sides.
      const [firstFleet, secondFleet] = pair % 2 === 1 ? [healthy, faulty] : [faulty, healthy];
      const first = await runCameraLoad(firstFleet, streams, seconds, dir, `${name}-${pair}-a`);
      const second = await runCameraLoad(secondFleet, streams, seconds, dir, `${name}-${pair}-b`);
      const [good, bad] = pair % 2 === 1 ? [first, second] : [second, first];
      out.worse.push(await compareCli(good, bad, join(dir, `${name}-${pair}-worse.json`)));
      out.better.push(await compareCli(bad, good, join(dir, `${name}-${pair}-better.json`)));
      const verdicts = fault.targets.map((t) => `${t} ${wholeRun(out.worse.at(-1)!).get(t)?.verdict ?? 'absent'}`);
      process.stderr.write(`[compare-faults ${name} ${pair}/${pairs}] ${verdicts.join(', ')}; load ${loadAverage()}\n`);
    }
    return out;
  });
}

export async function runCompareFaultsBench(options: CompareFaultsOptions): Promise<string> {
  const pairs = options.pairs ?? 10;
  const streams = options.streams ?? 50;
  const seconds = options.seconds ?? 10;
  const dir = options.keep ?? mkdtempSync(join(tmpdir(), 'bench-compare-faults-'));
  mkdirSync(dir, { recursive: true });
  const loads = [loadAverage()];
  const measured: FaultPairs[] = [];
  try {
    await withFleets([[]], streams, async ([healthy]) => {
      if (healthy === undefined) throw new Error('no fleet');
      await runCameraLoad(healthy, streams, 3, dir, 'warm-up');
      for (const fault of FAULTS) {
        measured.push(await faultPairs(fault, healthy, { pairs, streams, seconds, dir }));
        loads.push(loadAverage());
      }
    });
  } finally {
    if (options.keep === undefined) rmSync(dir, { recursive: true, force: true });
  }
  return formatFaults(measured, { pairs, streams, seconds, loads });
}

const touched = (fault: Fault, figure: string): boolean =>
  fault.touches.includes(figure) || (figure.startsWith('errors.') && fault.touches.includes('errors.*'));

/** Per figure other than the targets: how many pairs read it other than same, as "figure verdict×n". */
function others(fault: Fault, results: readonly CompareResult[], own: boolean): string {
  const counts = new Map<string, number>();
  for (const result of results) {
    for (const [figure, line] of wholeRun(result)) {
      if (fault.targets.includes(figure) || touched(fault, figure) !== own) continue;
      if (line.verdict === 'worse' || line.verdict === 'better') counts.set(`${figure} ${line.verdict}`, (counts.get(`${figure} ${line.verdict}`) ?? 0) + 1);
    }
  }
  return counts.size === 0 ? 'none' : [...counts].map(([what, n]) => `${what} ${n}`).join(', ');
}

const verdictCount = (results: readonly CompareResult[], figure: string, verdict: string): number =>
  results.filter((r) => wholeRun(r).get(figure)?.verdict === verdict).length;

export function formatFaults(measured: readonly FaultPairs[], run: { pairs: number; streams: number; seconds: number; loads: string[] }): string {
  const rows = measured.map(({ fault, worse, better }) => {
    const hits = fault.targets.map((t) => `\`${t}\` ${verdictCount(worse, t, 'worse')} of ${worse.length}`).join(', ');
    const reversed = fault.targets.map((t) => `\`${t}\` ${verdictCount(better, t, 'better')} of ${better.length}`).join(', ');
    return `| ${fault.label} | ${hits} | ${reversed} | ${others(fault, [...worse, ...better], false)} | ${others(fault, worse, true)} |`;
  });
  const checks = measured.map(({ fault, worse, better }) => {
    const all = fault.targets.every((t) => verdictCount(worse, t, 'worse') === worse.length && verdictCount(better, t, 'better') === better.length);
    const clean = others(fault, [...worse, ...better], false) === 'none';
    return check(
      all && clean,
      `${fault.label}: ${all ? 'every pair' : 'not every pair'} read worse (and better reversed); untouched figures ${clean ? 'all same' : 'moved'}`,
    );
  });
  return [
    `**${run.pairs} pairs per fault: ${run.streams} streams for ${run.seconds} s against a healthy fleet (5 fps × 20 KB) and against a faulty one, ` +
      `alternating which runs first, each pair compared both ways. Load average before and after each fault: ${run.loads.join('; ')}**`,
    '',
    '| fault | its figure reads worse (healthy → faulty) | better (faulty → healthy) | untouched figures not same (both ways) | figures it moves itself, read worse or better |',
    '|---|---|---|---|---|',
    ...rows,
    '',
    ...checks,
  ].join('\n');
}
