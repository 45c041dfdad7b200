// npm run bench [-- <name> ...]: runs the named benchmarks (all by default) and prints their tables.
// e2e options: --scenario NAME, --streams N, --seconds S, --repeat R, --kinds raw,engine,mjpeg-consumer,
// --node-flags "--flag ..." (given to every consumer process, after the engine's GC_FLAGS: "--incremental-marking
// --heap-growing-percent=0 --no-expose-gc" measures the engine without them), --profile DIR (a CPU profile of each consumer's
// measured window); --soak 10m runs the soak instead. merge: 100 shard reports of 1,000 streams, read, merged, written.
// html: the HTML report of 100, 1,000 and 10,000 streams, rendered in Node and drawn in the system Chromium.
// process: camera-load run against a bare undici client (bench/raw-client.ts, and it with GC_FLAGS for information) as
// whole processes on bench/lean-server.ts, 2,000 × 5 fps × 20 KB for 25 s and 10,000 × 1 fps × 20 KB for 20 s
// (--scenario 2000|10000: one of them), every round and the issue-32 targets on the medians of the pair ratios,
// frames counted against sent; the fixed cost of a 3 s run of 2,000 streams beside the bare client's, its parts,
// --version and --help (--seconds S, --repeat R (3), --no-flagged-baseline; --compare OTHER/bin/camera-load.js runs
// another built checkout in the same rounds, for before/after). connect: first complete frames from time zero, camera-load's
// engine beside a bare undici client on bench/lean-server.ts, 2,000 × 5 fps and 10,000 × 1 fps (--streams N: one
// scale; --concurrency 100,250,...: an engine row per level; --repeat R; --compare OTHER/bin/camera-load.js: that
// checkout's engine too, at its default, built with its benches). max-trials: camera-load max's CPU per trial against a run of the same size (--seconds,
// --repeat). stop: how a whole run of 10,000 streams ends (--streams, --seconds, --repeat, --compare). profile FILE.cpuprofile ...: where the time went (node --cpu-prof).
// start: a stream's start as users run it (ramp-up lateness, 2,000 × 5 fps with a threshold, 10,000 × 1 fps; --repeat).
// frame-cost --compare DIR: the per-frame path (parser and stats) of this checkout against another built one, in one process.
// slow-reader [--seconds S]: how long the kernel's buffers hide a viewer reading at half the stream's rate from the server.
// slow-servers [--seconds S]: slow and stuck viewers against the real MJPEG servers installed here (ffmpeg, ustreamer, VLC, motion).
// stuck-viewers, slow-viewers-cpu, paced-reader [--streams N] [--seconds S] [--repeat R]: what viewer groups cost
// camera-load (RSS per stuck viewer, CPU per GB with 20% slow viewers, CPU per frame of a paced reader).
// churn-schedule, churn-cpu, churn-memory [--seconds S] [--repeat R]: the open model's churn (--arrival-rate) as users run
// it: arrivals started on time, CPU per GB against steady viewers and per connection, RSS over 10 minutes and the
// report's size per hour; churn runs the three in turn when named (a run of every benchmark runs them by their own names).
// compare-noise [--pairs N] [--streams N] [--seconds S] [--keep DIR]: identical runs compared (false alarms per figure);
// compare-faults [--pairs N] [--seconds S] [--keep DIR]: a healthy run against a faulty one per simulator fault, and reversed;
// compare-power [--seconds S] [--streams 50,500,2000]: the smallest change each figure detects at 50, 500 and 2,000 streams;
// compare-speed [--streams N] [--repeat R]: camera-load compare of two reports of 10,000 streams as a whole process (wall time, peak RSS).
// engines [--streams 2000|10000] [--seconds S] [--repeat R] [--bare-rounds N] [--kinds request,dispatch,...]: other stream-reading
// engines (undici dispatch(), net.Socket onread) as whole processes against the bare request() client, bytes only and with camera-load's parser and stats.
import { resolve } from 'node:path';
import { parseDuration } from '../src/options/units.js';
import type { ConsumerKind } from './consumer.js';
import { KINDS, runEndToEnd, runSoak } from './end-to-end.js';
import { runFrameCostBench } from './frame-cost.js';
import { runHtmlBench } from './html.js';
import { runMergeBench } from './merge.js';
import { runParserBench } from './parser.js';
import { runMaxTrialsBench } from './max-trials.js';
import { runConnectBench, runProcessBench } from './process.js';
import { runStartBench } from './start.js';
import { runSlowReaderBench } from './slow-reader.js';
import { runSlowServersBench } from './slow-servers.js';
import { runPacedReaderBench, runSlowViewersCpuBench, runStuckViewersBench, type ViewerBenchOptions } from './viewer-groups.js';
import { runStopBench } from './stop.js';
import { runChurnCpuBench, runChurnMemoryBench, runChurnScheduleBench, type ChurnBenchOptions } from './churn.js';
import { summarizeProfiles } from './profile-summary.js';
import { formatCapacityTable, measureSimulatorCapacity } from './simulator-capacity.js';
import { defined } from '../src/defined.js';
import { runCompareNoiseBench } from './compare-noise.js';
import { runCompareFaultsBench } from './compare-faults.js';
import { runComparePowerBench } from './compare-power.js';
import { runCompareSpeedBench } from './compare-speed.js';
import { runEnginesBench } from './engines.js';

const benchmarks: Record<string, () => Promise<string>> = {
  parser: () => Promise.resolve(runParserBench()),
  'frame-cost': () => runFrameCostBench(option('--compare')),
  e2e: () => {
    const scenario = option('--scenario');
    const streams = numberOption('--streams');
    const seconds = numberOption('--seconds');
    const kinds = option('--kinds')?.split(',');
    if (kinds?.some((k) => !KINDS.includes(k as ConsumerKind))) throw new Error(`--kinds takes a list of ${KINDS.join(', ')}`);
    const nodeFlags = option('--node-flags')
      ?.split(' ')
      .filter((f) => f !== '');
    const profileDir = option('--profile');
    return runEndToEnd({
      ...(profileDir === undefined ? {} : { profileDir: resolve(profileDir) }),
      ...(kinds === undefined ? {} : { kinds: kinds as ConsumerKind[] }),
      ...defined({ nodeFlags }),
      repeat: numberOption('--repeat') ?? 1,
      ...defined({ scenario, streams, seconds }),
    });
  },
  simulator: async () => formatCapacityTable(await measureSimulatorCapacity([500, 1000, 2000, 4000])),
  merge: runMergeBench,
  process: () =>
    runProcessBench({
      ...defined({ scenario: numberOption('--scenario'), seconds: numberOption('--seconds'), repeat: numberOption('--repeat') }),
      ...(args.includes('--no-flagged-baseline') ? { flagged: false } : {}),
      ...(option('--compare') === undefined ? {} : { compare: resolve(option('--compare') ?? '') }),
    }),
  connect: () =>
    runConnectBench({
      ...defined({ streams: numberOption('--streams') }),
      ...defined({ concurrency: option('--concurrency')?.split(',').map(Number) }),
      ...defined({ repeat: numberOption('--repeat') }),
      ...(option('--compare') === undefined ? {} : { compare: resolve(option('--compare') ?? '') }),
    }),
  'max-trials': () =>
    runMaxTrialsBench({
      ...defined({ seconds: numberOption('--seconds'), repeat: numberOption('--repeat') }),
    }),
  stop: () =>
    runStopBench({
      ...defined({ streams: numberOption('--streams'), seconds: numberOption('--seconds'), repeat: numberOption('--repeat') }),
      ...(option('--compare') === undefined ? {} : { compare: resolve(option('--compare') ?? '') }),
    }),
  start: () => runStartBench({ ...defined({ repeat: numberOption('--repeat') }) }),
  profile: () => Promise.resolve(summarizeProfiles(args.filter((arg) => arg.endsWith('.cpuprofile')))),
  html: runHtmlBench,
  'slow-reader': () => runSlowReaderBench(numberOption('--seconds')),
  'slow-servers': () => runSlowServersBench(numberOption('--seconds')),
  'stuck-viewers': () => runStuckViewersBench(viewerOptions()),
  'slow-viewers-cpu': () => runSlowViewersCpuBench(viewerOptions()),
  'paced-reader': () => runPacedReaderBench(viewerOptions()),
  'churn-schedule': () => runChurnScheduleBench(churnOptions()),
  'churn-cpu': () => runChurnCpuBench(churnOptions()),
  'churn-memory': () => runChurnMemoryBench(churnOptions()),
  'compare-noise': () =>
    runCompareNoiseBench({
      ...defined({ pairs: numberOption('--pairs'), streams: numberOption('--streams'), seconds: numberOption('--seconds'), keep: option('--keep') }),
    }),
  'compare-faults': () =>
    runCompareFaultsBench({
      ...defined({ pairs: numberOption('--pairs'), streams: numberOption('--streams'), seconds: numberOption('--seconds'), keep: option('--keep') }),
    }),
  'compare-power': () => runComparePowerBench({ ...defined({ seconds: numberOption('--seconds'), streams: option('--streams')?.split(',').map(Number) }) }),
  'compare-speed': () => runCompareSpeedBench({ ...defined({ streams: numberOption('--streams'), repeat: numberOption('--repeat') }) }),
  engines: () =>
    runEnginesBench({
      ...defined({ streams: numberOption('--streams'), seconds: numberOption('--seconds'), repeat: numberOption('--repeat') }),
      ...defined({ bareRounds: numberOption('--bare-rounds'), kinds: option('--kinds')?.split(',') }),
    }),
  // Only when named: a run of every benchmark reaches the three above by their own names.
  churn: async () =>
    requested.length === 0
      ? 'churn-schedule, churn-cpu and churn-memory, above.'
      : [await runChurnScheduleBench(churnOptions()), await runChurnCpuBench(churnOptions()), await runChurnMemoryBench(churnOptions())].join('\n\n'),
};

function churnOptions(): ChurnBenchOptions {
  return defined({ seconds: numberOption('--seconds'), repeat: numberOption('--repeat') });
}

function viewerOptions(): ViewerBenchOptions {
  return defined({ streams: numberOption('--streams'), seconds: numberOption('--seconds'), repeat: numberOption('--repeat') });
}

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const at = args.indexOf(name);
  return at === -1 ? undefined : args[at + 1];
};
const numberOption = (name: string): number | undefined => {
  const value = option(name);
  return value === undefined ? undefined : Number(value);
};
const soak = option('--soak');
if (soak !== undefined) {
  console.log(await runSoak(parseDuration(soak, '--soak') / 60_000));
  process.exit(0);
}
const VALUE_OPTIONS = [
  '--scenario',
  '--streams',
  '--seconds',
  '--repeat',
  '--soak',
  '--bare-rounds',
  '--kinds',
  '--node-flags',
  '--profile',
  '--concurrency',
  '--compare',
  '--pairs',
  '--keep',
];
const requested = args.filter((arg, i) => !arg.startsWith('-') && !arg.endsWith('.cpuprofile') && !VALUE_OPTIONS.includes(args[i - 1] ?? ''));
const unknown = requested.filter((name) => !(name in benchmarks));
if (unknown.length > 0) {
  console.error(`unknown benchmark ${unknown.join(', ')}; choose from: ${Object.keys(benchmarks).join(', ')}`);
  process.exit(2);
}
for (const name of requested.length > 0 ? requested : Object.keys(benchmarks)) {
  const run = benchmarks[name];
  if (!run) continue;
  console.log(`\n## ${name}\n`);
  console.log(await run());
}
