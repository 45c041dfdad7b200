// What churn (issue 30's open model: viewers arrive at a rate, each leaves after its watch time) costs camera-load, as
// a user runs it: `camera-load run --arrival-rate …` against the simulated fleet in another process, watched from
// outside (bench/churn-run.ts). churn-schedule: each arrival started on time (client lateness per stage, and a rate
// the client cannot keep, to see it named); churn-cpu: CPU per GB of 2,000 churning viewers against 2,000 steady ones
// in the same session, and what each connection adds; churn-memory: RSS over minutes of churn, the report's size per hour.
// Run: npm run bench -- churn-schedule [--seconds S] [--repeat R]
//      npm run bench -- churn-cpu [--seconds S] [--repeat R]
//      npm run bench -- churn-memory [--seconds S]
//      npm run bench -- churn (the three in turn)
import { planArrivals, type ArrivalPlanInput } from '../src/arrivals.js';
import type { StageReport } from '../src/report/stage-types.js';
import { churnRun, FPS, reportSize, rssKbAt, slope, windowOf, withCameras, type Cameras, type ChurnRun } from './churn-run.js';
import { check, loadAverage, median, spread } from './timing.js';

export interface ChurnBenchOptions {
  seconds?: number;
  repeat?: number;
}

/** The lateness past which the analysis names a stage's arrivals as late by camera-load's own doing (load-shape-analysis.ts). */
const LATENESS_TARGET_MS = 50;
const FPS_TEXT = `${FPS} fps × 20 KB`;

const stageOf = (run: ChurnRun, stage: number): StageReport | undefined => run.full.stages?.[stage - 1];
const lateWarning = (run: ChurnRun): string | undefined => run.full.analysis.warnings.find((w) => w.includes('started its arrivals late by its own doing'));

/** Arrivals the plan holds (taken and dropped) for one rate over `seconds`: the run draws the same from seed 1. */
function plannedArrivals(input: Omit<ArrivalPlanInput, 'seed'>): { arrivals: number; slots: number } {
  const plan = planArrivals({ ...input, seed: 1 });
  return { arrivals: plan.slots.reduce((sum, slot) => sum + slot.visits.length, 0) + plan.dropped.length, slots: plan.slots.length };
}

interface ScheduleCase {
  label: string;
  perSecond: number;
  seconds: number;
  watchMs: number;
  maxStreams: number;
}

/** One open-model run of a case and its row: arrivals planned and counted, lateness, the warning. */
async function scheduleRow(cameras: Cameras, c: ScheduleCase, round: number, count: number) {
  const run = await churnRun(cameras, `schedule-${c.perSecond}-${round}`, c.seconds, [
    ...['--arrival-rate', `${c.perSecond}/s`, '--duration', String(c.seconds)],
    ...['--watch-time', `exp:${c.watchMs / 1000}s`, '--max-streams', String(c.maxStreams)],
  ]);
  const stage = stageOf(run, 1);
  const late = stage?.clientLatenessMs;
  const planned = plannedArrivals({
    rates: [{ durationMs: c.seconds * 1000, perSecond: c.perSecond }],
    watch: { kind: 'exp', meanMs: c.watchMs },
    popularity: { kind: 'uniform' },
    slots: c.maxStreams,
    cameras: count,
  });
  const load = loadAverage();
  const text =
    `| ${c.label} | ${planned.arrivals.toLocaleString('en-US')} | ${(stage?.arrivals ?? NaN).toLocaleString('en-US')} | ${stage?.droppedArrivals ?? NaN} | ` +
    `${stage?.openStreams?.mean ?? NaN} | ${late?.p50 ?? NaN} | ${late?.p95 ?? NaN} | ${late?.p99 ?? NaN} | ${late?.max ?? NaN} | ` +
    `${lateWarning(run) === undefined ? 'no' : 'yes'} | ${run.code} | ${load} |`;
  process.stderr.write(`[churn-schedule] ${text}\n`);
  return { text, p99: late?.p99 ?? NaN, named: lateWarning(run) };
}

/**
 * `churn-schedule`: 20 arrivals/s watching exp:5s (about 100 open, a cap nothing reaches), `repeat` runs; then one
 * run at 2,000/s watching exp:0.5s, a schedule this machine's client cannot keep, to see it named in the analysis.
 */
export async function runChurnScheduleBench(options: ChurnBenchOptions): Promise<string> {
  const seconds = options.seconds ?? 30;
  const repeat = options.repeat ?? 3;
  const count = 1000;
  const kept: ScheduleCase = { label: '20/s, exp:5s', perSecond: 20, seconds, watchMs: 5000, maxStreams: 1000 };
  const overload: ScheduleCase = { label: '2,000/s, exp:0.5s (overload)', perSecond: 2000, seconds: 10, watchMs: 500, maxStreams: 5000 };
  return withCameras(count, async (cameras) => {
    const rounds = [];
    for (let round = 1; round <= repeat; round++) rounds.push(await scheduleRow(cameras, kept, round, count));
    const over = await scheduleRow(cameras, overload, 1, count);
    const p99 = median(rounds.map((r) => r.p99));
    return [
      `**Open model against ${count.toLocaleString('en-US')} simulated cameras × ${FPS_TEXT}: ${kept.label} for ${seconds} s (cap ${kept.maxStreams}), ${repeat} run(s); ` +
        `then ${overload.label} for ${overload.seconds} s (cap ${overload.maxStreams}). Lateness from the report's stage 1, ms**`,
      '',
      '| case | arrivals planned | counted | dropped | open (mean) | client lateness p50 | p95 | p99 | max | named late | exit | load |',
      '|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---|',
      ...rounds.map((r) => r.text),
      over.text,
      '',
      check(
        p99 < LATENESS_TARGET_MS,
        `20 arrivals/s: client lateness p99 ${p99} ms${spread(
          rounds.map((r) => r.p99),
          0,
        )} (target under ${LATENESS_TARGET_MS} ms)`,
      ),
      check(over.named !== undefined, `2,000 arrivals/s: named in the analysis: ${over.named ?? 'no warning'}`),
      '',
      `Load average after: ${loadAverage()}.`,
    ].join('\n');
  });
}

/** churn-cpu's measured window on the run clock: after the fill (3 s) and the first departures, to 1 s before the end. */
const WINDOW_FROM_SECONDS = 10;
const STREAMS = 2000;

interface CpuRound {
  steady: { cpuSeconds: number; cpuPerGb: number; gb: number; seconds: number; open: number; connectMs: number };
  churn: { cpuSeconds: number; cpuPerGb: number; gb: number; seconds: number; open: number; arrivals: number; departures: number; extraMs: number };
  load: string;
}

const meanOpen = (run: ChurnRun, from: number, to: number): number => {
  const rows = run.full.timeline.filter((row) => row.t >= from && row.t + row.seconds <= to);
  return rows.reduce((sum, row) => sum + row.openStreams, 0) / rows.length;
};

/**
 * Churn that keeps about STREAMS open (Little's law): 20 arrivals/s watching exp:100s. camera-load refuses a mean watch
 * longer than the run, so a run shorter than 100 s watches for its length and arrives faster to keep the same number open.
 */
function churnShape(seconds: number): { watch: number; rate: number } {
  const watch = Math.min(100, seconds);
  return { watch, rate: Math.round((STREAMS / watch) * 100) / 100 };
}

/** A round's figures over the window; the churn's extra CPU is priced at the steady run's CPU per GB. */
function cpuFigures(steady: ChurnRun, churn: ChurnRun, seconds: number): CpuRound {
  const to = seconds - 1;
  const s = windowOf(steady, WINDOW_FROM_SECONDS, to);
  const c = windowOf(churn, WINDOW_FROM_SECONDS, to);
  const steadyCpuPerGb = s.cpuSeconds / (s.bytes / 1e9);
  // A connection's cost at the steady run's start (opening only), as a reference for the churn's (opening and closing).
  const start = windowOf(steady, 0, WINDOW_FROM_SECONDS);
  // The window is the whole timeline rows within the stage (a second or so shorter): its share of the stage's arrivals.
  const measured = stageOf(churn, 3);
  const share = c.seconds / (to - WINDOW_FROM_SECONDS);
  const arrivals = (measured?.arrivals ?? NaN) * share;
  return {
    steady: {
      cpuSeconds: s.cpuSeconds,
      cpuPerGb: steadyCpuPerGb,
      gb: s.bytes / 1e9,
      seconds: s.seconds,
      open: meanOpen(steady, WINDOW_FROM_SECONDS, to),
      connectMs: ((start.cpuSeconds - steadyCpuPerGb * (start.bytes / 1e9)) / STREAMS) * 1000,
    },
    churn: {
      cpuSeconds: c.cpuSeconds,
      cpuPerGb: c.cpuSeconds / (c.bytes / 1e9),
      gb: c.bytes / 1e9,
      seconds: c.seconds,
      open: meanOpen(churn, WINDOW_FROM_SECONDS, to),
      arrivals,
      departures: (measured?.departures ?? NaN) * share,
      extraMs: ((c.cpuSeconds - steadyCpuPerGb * (c.bytes / 1e9)) / arrivals) * 1000,
    },
    load: loadAverage(),
  };
}

/** One pair of runs, steady and churning, in the round's order. */
async function cpuRound(cameras: Cameras, round: number, seconds: number): Promise<CpuRound> {
  const fill = Math.round(STREAMS / 3);
  const { watch, rate } = churnShape(seconds);
  // The measured window is a stage of its own, so that its arrivals are the report's count (not drawn again here);
  // --max-streams 10% above the 2,000: open viewers wander around 2,000 (±45) and a cap there would drop arrivals.
  const churnFlags = [
    ...['--arrival-rate', `3s:${fill}/s,${WINDOW_FROM_SECONDS - 3}s:${rate}/s,${seconds - WINDOW_FROM_SECONDS - 1}s:${rate}/s,1s:${rate}/s`],
    ...['--watch-time', `exp:${watch}s`, '--max-streams', String(STREAMS * 1.1)],
  ];
  const steadyFlags = ['--max-streams', String(STREAMS), '--duration', String(seconds)];
  const runs: Partial<Record<'steady' | 'churn', ChurnRun>> = {};
  for (const kind of round % 2 === 1 ? (['churn', 'steady'] as const) : (['steady', 'churn'] as const)) {
    runs[kind] = await churnRun(cameras, `cpu-${kind}-${round}`, seconds, kind === 'churn' ? churnFlags : steadyFlags);
  }
  const { steady, churn } = runs as Record<'steady' | 'churn', ChurnRun>;
  const figures = cpuFigures(steady, churn, seconds);
  process.stderr.write(`[churn-cpu round ${round}] ${JSON.stringify(figures)}\n`);
  return figures;
}

/** `churn-cpu`: 2,000 steady viewers against about 2,000 churning at 20 arrivals/s, alternating rounds, medians. */
export async function runChurnCpuBench(options: ChurnBenchOptions): Promise<string> {
  const seconds = Math.max(options.seconds ?? 100, WINDOW_FROM_SECONDS + 10);
  const { watch, rate } = churnShape(seconds);
  const repeat = options.repeat ?? 3;
  return withCameras(STREAMS, async (cameras) => {
    const rounds: CpuRound[] = [];
    for (let round = 1; round <= repeat; round++) rounds.push(await cpuRound(cameras, round, seconds));
    const med = (pick: (r: CpuRound) => number, digits = 2): string => `${median(rounds.map(pick)).toFixed(digits)}${spread(rounds.map(pick), digits)}`;
    const ratios = rounds.map((r) => r.churn.cpuPerGb / r.steady.cpuPerGb);
    const extra = median(rounds.map((r) => r.churn.extraMs));
    const connect = median(rounds.map((r) => r.steady.connectMs));
    return [
      `**${STREAMS.toLocaleString('en-US')} viewers × ${FPS_TEXT} for ${seconds} s: steady (all from the start) against churning (${Math.round(STREAMS / 3)}/s for 3 s, then ${rate}/s, ` +
        `watching exp:${watch}s, cap ${STREAMS * 1.1}); CPU (utime + stime, /proc) and bytes (the report's timeline) from ${WINDOW_FROM_SECONDS} s to 1 s before the end; medians of ${repeat} alternating rounds (min–max)**`,
      '',
      '| run | open (mean) | window (s) | CPU-s | GB | CPU-s per GB | connections opened (arrivals) | departures |',
      '|---|---:|---:|---:|---:|---:|---:|---:|',
      `| steady | ${med((r) => r.steady.open, 0)} | ${med((r) => r.steady.seconds, 1)} | ${med((r) => r.steady.cpuSeconds)} | ${med((r) => r.steady.gb)} | ${med((r) => r.steady.cpuPerGb)} | 0 | 0 |`,
      `| churn | ${med((r) => r.churn.open, 0)} | ${med((r) => r.churn.seconds, 1)} | ${med((r) => r.churn.cpuSeconds)} | ${med((r) => r.churn.gb)} | ${med((r) => r.churn.cpuPerGb)} | ${med((r) => r.churn.arrivals, 0)} | ${med((r) => r.churn.departures, 0)} |`,
      '',
      `Pair by pair: churn / steady CPU per GB ${median(ratios).toFixed(3)}×${spread(ratios, 3)}; churn's extra CPU per connection ` +
        `(churn CPU − steady CPU per GB × churn GB, over its arrivals) ${med((r) => r.churn.extraMs)} ms; a connection at the steady run's start ` +
        `(its first ${WINDOW_FROM_SECONDS} s less its bytes at its CPU per GB, over ${STREAMS.toLocaleString('en-US')}) ${med((r) => r.steady.connectMs)} ms. Loads: ${rounds.map((r) => r.load.split(' ')[0]).join(', ')}.`,
      '',
      // A churned connection opens and closes; one at the start only opens (its close is at the stop, after the window).
      check(
        extra <= 2 * connect,
        `churn's extra CPU ${extra.toFixed(2)} ms per connection, within two connections' opening at the start (${(2 * connect).toFixed(2)} ms): the rest is per GB as steady`,
      ),
      '',
      `Load average after: ${loadAverage()}.`,
    ].join('\n');
  });
}

/** `churn-memory`: 50 arrivals/s watching exp:10s (about 500 open) for `seconds` (10 minutes); RSS every 10 s. */
export async function runChurnMemoryBench(options: ChurnBenchOptions): Promise<string> {
  const seconds = Math.max(options.seconds ?? 600, 120);
  const count = 1000;
  const plan = { watch: { kind: 'exp', meanMs: 10_000 } as const, popularity: { kind: 'uniform' } as const, slots: 2000, cameras: count };
  return withCameras(count, async (cameras) => {
    const run = await churnRun(cameras, 'memory', seconds, [
      '--arrival-rate',
      '50/s',
      '--duration',
      String(seconds),
      '--watch-time',
      'exp:10s',
      '--max-streams',
      '2000',
    ]);
    const end = seconds - 1;
    const points: [number, number][] = [];
    for (let t = 60; t <= end; t += 10) points.push([t / 60, rssKbAt(run, t)]);
    const atMinute = rssKbAt(run, 60);
    const atEnd = rssKbAt(run, end);
    const growth = (atEnd - atMinute) / atMinute;
    const perMinute = slope(points);
    const stage = stageOf(run, 1);
    const minutes = Array.from({ length: Math.floor(end / 60) }, (_, i) => (rssKbAt(run, (i + 1) * 60) / 1024).toFixed(0));
    const slotsFor = (ms: number): number => plannedArrivals({ ...plan, rates: [{ durationMs: ms, perSecond: 50 }] }).slots;
    return [
      `**50 arrivals/s watching exp:10s (cap 2,000) against ${count.toLocaleString('en-US')} simulated cameras × ${FPS_TEXT}, for ${seconds} s; RSS (VmRSS, /proc) of camera-load**`,
      '',
      '| arrivals | departures | dropped | open (mean) | RSS at 1 min (MB) | at the end | growth after 1 min | slope after 1 min (KB/min) | peak | exit | load |',
      '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|',
      `| ${(stage?.arrivals ?? NaN).toLocaleString('en-US')} | ${(stage?.departures ?? NaN).toLocaleString('en-US')} | ${stage?.droppedArrivals ?? NaN} | ${stage?.openStreams?.mean ?? NaN} | ` +
        `${(atMinute / 1024).toFixed(0)} | ${(atEnd / 1024).toFixed(0)} | ${(growth * 100).toFixed(1)}% | ${perMinute.toFixed(0)} | ` +
        `${(Math.max(...run.samples.map((s) => s.rssKb)) / 1024).toFixed(0)} | ${run.code} | ${loadAverage()} |`,
      '',
      `RSS at each minute (MB): ${minutes.join(', ')}.`,
      '',
      ...reportSize(run, seconds, { run: slotsFor(seconds * 1000), hour: slotsFor(3_600_000) }),
      '',
      check(
        Math.abs(growth) < 0.05,
        `RSS ${(growth * 100).toFixed(1)}% from the first minute to the end (flat: under 5%), ${perMinute.toFixed(0)} KB per minute`,
      ),
      '',
      `Load average after: ${loadAverage()}.`,
    ].join('\n');
  });
}
