// The whole-process bench's tables (bench/process.ts): every round of a scenario, the ratios pair by pair, their
// medians, the issue's targets as checks, and the exactness of every camera-load run.
import type { ClientKind, ClientRun } from './process-clients.js';
import type { Round, ScenarioResult } from './process-rounds.js';
import { check, median, spread } from './timing.js';

export const LABELS: Record<ClientKind, string> = {
  'camera-load': 'camera-load run',
  compared: 'compared checkout',
  bare: 'bare undici client',
  'bare+flags': 'bare undici client + GC_FLAGS',
};

export const gb = (run: ClientRun | undefined): number => (run ? run.bytes / 1e9 : NaN);
const perGb = (run: ClientRun | undefined): number => (run ? run.cpuSeconds / gb(run) : NaN);
const mb = (run: ClientRun | undefined): number => (run ? run.peakRssBytes / 1e6 : NaN);
const cpu = (run: ClientRun | undefined): number => run?.cpuSeconds ?? NaN;
const withSpread = (values: number[], digits = 2): string => `${median(values).toFixed(digits)}${spread(values, digits)}`;
const int = (n: number): string => (Number.isNaN(n) ? '?' : n.toLocaleString('en-US'));

/** `counted / sent (−missing, per stream)`, or a dash for a client that counts no frames. */
export function framesCell(run: ClientRun | undefined, streams: number): string {
  if (!run?.frames) return '—';
  const { counted, sent } = run.frames;
  return `${int(counted)} / ${int(sent)} (−${int(sent - counted)}: ${((sent - counted) / streams).toFixed(2)} a stream)`;
}

/** The per-round pair ratios of `kind` against `base`, one per round (NaN where there is no pair): GB read, CPU, CPU per GB, peak RSS. */
export function ratios(rounds: readonly Round[], kind: ClientKind, base: ClientKind): { cpu: number[]; perGb: number[]; rss: number[]; gb: number[] } {
  const pairs = rounds.map((r) => {
    const a = r.long[kind];
    // A camera-load run that wrote no report did not finish: nothing of it compares.
    return a?.keptLog === undefined ? { a, b: r.long[base] } : { a: undefined, b: undefined };
  });
  const of = (pick: (run: ClientRun | undefined) => number): number[] => pairs.map(({ a, b }) => pick(a) / pick(b));
  return { cpu: of(cpu), perGb: of(perGb), rss: of(mb), gb: of(gb) };
}

function roundsTable(result: ScenarioResult): string[] {
  const { streams } = result.scenario;
  const lines = [
    '| round | client (in order) | CPU-s (user+sys) | wall s | GB read | CPU-s per GB | peak RSS (MB) | server CPU-s | exit | frames counted / sent |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---|',
  ];
  for (const r of result.rounds) {
    r.order.forEach((kind, i) => {
      const run = r.long[kind];
      lines.push(
        `| ${i === 0 ? r.round : ''} | ${i + 1}. ${LABELS[kind]} | ${cpu(run).toFixed(2)} | ${run?.wallSeconds.toFixed(1) ?? ''} | ${gb(run).toFixed(2)} | ` +
          `${perGb(run).toFixed(2)} | ${mb(run).toFixed(0)} | ${run?.serverCpuSeconds?.toFixed(2) ?? ''} | ${run?.code ?? ''} | ${framesCell(run, streams)} |`,
      );
    });
  }
  return lines;
}

function ratiosTable(result: ScenarioResult, kinds: readonly ClientKind[], flagged: boolean): string[] {
  const lines = [
    `| round | client | GB read ÷ bare | CPU ÷ bare | CPU per GB ÷ bare | peak RSS ÷ bare |${flagged ? ' CPU ÷ bare+flags | CPU per GB ÷ bare+flags | peak RSS ÷ bare+flags |' : ''}`,
    `|---|---|---:|---:|---:|---:|${flagged ? '---:|---:|---:|' : ''}`,
  ];
  const cells = (values: number[]): string => values.map((v) => `${v.toFixed(2)}×`).join(' | ');
  for (const kind of kinds) {
    const bare = ratios(result.rounds, kind, 'bare');
    const plus = ratios(result.rounds, kind, 'bare+flags');
    result.rounds.forEach((r, i) => {
      const row = [bare.gb[i] ?? NaN, bare.cpu[i] ?? NaN, bare.perGb[i] ?? NaN, bare.rss[i] ?? NaN];
      const rowPlus = [plus.cpu[i] ?? NaN, plus.perGb[i] ?? NaN, plus.rss[i] ?? NaN];
      lines.push(`| ${r.round} (${LABELS[r.order[0] ?? 'bare']} first) | ${LABELS[kind]} | ${cells(row)} |${flagged ? ` ${cells(rowPlus)} |` : ''}`);
    });
    const med = (values: number[]): string => `**${median(values).toFixed(2)}×**${spread(values)}`;
    lines.push(
      `| median (min–max) | ${LABELS[kind]} | ${med(bare.gb)} | ${med(bare.cpu)} | ${med(bare.perGb)} | ${med(bare.rss)} |${flagged ? ` ${med(plus.cpu)} | ${med(plus.perGb)} | ${med(plus.rss)} |` : ''}`,
    );
  }
  return lines;
}

function mediansTable(result: ScenarioResult, kinds: readonly ClientKind[]): string[] {
  const lines = [
    '| client | CPU-s (user+sys) | wall s | GB read | CPU-s per GB | peak RSS (MB) | peak RSS per stream (KB) |',
    '|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const kind of kinds) {
    const runs = result.rounds.map((r) => r.long[kind]);
    lines.push(
      `| ${LABELS[kind]} | ${withSpread(runs.map(cpu))} | ${withSpread(
        runs.map((r) => r?.wallSeconds ?? NaN),
        1,
      )} | ${withSpread(runs.map(gb))} | ${withSpread(runs.map(perGb))} | ` +
        `${withSpread(runs.map(mb), 0)} | ${withSpread(
          runs.map((r) => (mb(r) * 1e6) / 1024 / result.scenario.streams),
          0,
        )} |`,
    );
  }
  return lines;
}

const EXITS: Record<number, string> = {
  4: ': 4, the client saturated (its CPU, not the server, limited the run)',
  70: ': 70, camera-load stopped itself (a bug, or the run and its shutdown budget overran: its stderr above says which)',
};

/** The issue's two targets for the scenario, with what they compare. */
function checks(result: ScenarioResult): string[] {
  const { scenario } = result;
  const bare = ratios(result.rounds, 'camera-load', 'bare');
  const cpuRatio = median(scenario.cpu.perGb ? bare.perGb : bare.cpu);
  const rssRatio = median(bare.rss);
  const gbRatio = median(bare.gb);
  const what = scenario.cpu.perGb ? 'CPU per GB' : 'CPU';
  return [
    check(cpuRatio <= scenario.cpu.target, `${what} ${cpuRatio.toFixed(2)}× the bare undici client's (target ≤ ${scenario.cpu.target.toFixed(2)}×)`),
    check(rssRatio <= scenario.rssTarget, `peak RSS ${rssRatio.toFixed(2)}× the bare undici client's (target ≤ ${scenario.rssTarget.toFixed(2)}×)`),
    ...(!scenario.cpu.perGb && Math.abs(gbRatio - 1) > 0.05
      ? [
          `- ⚠ camera-load read ${gbRatio.toFixed(2)}× the bare client's GB (median): the CPU ratio compares unequal work; CPU per GB ${median(bare.perGb).toFixed(2)}×`,
        ]
      : []),
  ];
}

/** Exactness (frames counted against sent) of every camera-load run, and every exit code that is not 0. */
function runChecks(result: ScenarioResult): string[] {
  const { streams } = result.scenario;
  const runs = result.rounds.flatMap((r) => [
    ...Object.values(r.long).map((run) => ({ run, what: `round ${r.round}` })),
    ...Object.values(r.short).map((run) => ({ run, what: `round ${r.round}, 3 s run` })),
  ]);
  const counting = runs.flatMap(({ run }) => (run.frames && !Number.isNaN(run.frames.counted) ? [run.frames] : []));
  const exact = counting.every((f) => f.counted > 0 && f.counted <= f.sent);
  const worst = Math.max(...counting.map((f) => (f.sent - f.counted) / streams));
  return [
    check(
      exact,
      `frames counted ≤ frames sent in each of ${counting.length} camera-load runs with a report; at most ${worst.toFixed(2)} a stream not counted ` +
        '(written by the server but in flight at the stop, or written to a connection the client was closing)',
    ),
    ...runs.flatMap(({ run, what }) =>
      run.keptLog === undefined ? [] : [`- ✗ ${LABELS[run.kind]} wrote no report (${what}, exit ${run.code}): left out of the ratios; its log: ${run.keptLog}`],
    ),
    ...runs.filter(({ run }) => run.code !== 0).map(({ run, what }) => `- ⚠ ${LABELS[run.kind]} exited ${run.code} (${what})${EXITS[run.code ?? -1] ?? ''}`),
  ];
}

export function formatScenario(result: ScenarioResult): string {
  const { streams, fps } = result.scenario;
  const kinds = result.rounds[0]?.order ?? [];
  const clients = kinds.filter((k) => k === 'camera-load' || k === 'compared');
  const flagged = kinds.includes('bare+flags');
  return [
    `**${streams.toLocaleString('en-US')} streams × ${fps} fps × 20 KB for ${result.seconds} s from bench/lean-server.ts (its own process): whole processes, start to exit, ${result.rounds.length} round(s)**`,
    '',
    `Load average at the start: ${result.loadStart}; at the end: ${result.loadEnd}.`,
    '',
    ...roundsTable(result),
    '',
    `Pair by pair, each round's camera-load ÷ that round's bare client${flagged ? ' (and ÷ the bare client with GC_FLAGS, for information: how much of the difference is the flags)' : ''}:`,
    '',
    ...ratiosTable(result, clients, flagged),
    '',
    `Medians of ${result.rounds.length} round(s) (min–max):`,
    '',
    ...mediansTable(result, kinds),
    '',
    ...checks(result),
    ...runChecks(result),
  ].join('\n');
}
