// The rounds of the whole-process bench (bench/process.ts): one scenario against one lean server in its own process,
// every client in every round, in alternating order.
import { join } from 'node:path';
import { DEFAULTS } from '../src/options/defaults.js';
import type { PhasesResult } from './phases.js';
import { bareRun, cameraLoadRun, CLI, phases, writeCamerasFile, type ClientKind, type ClientRun } from './process-clients.js';
import { loadAverage, withLeanServer } from './timing.js';

export interface Scenario {
  streams: number;
  fps: number;
  seconds: number;
  /** The CPU target: CPU per GB (2,000 streams) or CPU of the run (10,000), × the bare client's. */
  cpu: { perGb: boolean; target: number };
  /** Peak RSS, × the bare client's. */
  rssTarget: number;
  /** Short runs in every round too, for the fixed cost of a run (2,000 streams only). */
  fixedCost: boolean;
}

export const SCENARIOS: readonly Scenario[] = [
  { streams: 2000, fps: 5, seconds: 25, cpu: { perGb: true, target: 1.1 }, rssTarget: 1.1, fixedCost: true },
  { streams: 10_000, fps: 1, seconds: 20, cpu: { perGb: false, target: 1.25 }, rssTarget: 1.1, fixedCost: false },
];

export const SHORT_SECONDS = 3;

export interface ScenarioOptions {
  /** The long runs' length instead of the scenario's. */
  seconds?: number;
  repeat: number;
  /** Another checkout's bin/camera-load.js (built), in every round beside this one. */
  compare?: string;
  /** The bare client with camera-load's GC_FLAGS too, for information. */
  flagged: boolean;
}

export type Runs = Partial<Record<ClientKind, ClientRun>>;

export interface Round {
  round: number;
  order: ClientKind[];
  long: Runs;
  /** Fixed-cost scenarios: the 3 s runs (camera-load, compared, bare). */
  short: Runs;
}

export interface ScenarioResult {
  scenario: Scenario;
  seconds: number;
  rounds: Round[];
  parts?: PhasesResult;
  loadStart: string;
  loadEnd: string;
  compare?: string;
}

/** Every round of `scenario`: alternating order (the reverse in even rounds), so that a drift of the machine falls on every client. */
export async function runScenario(scenario: Scenario, options: ScenarioOptions, dir: string): Promise<ScenarioResult> {
  const seconds = options.seconds ?? scenario.seconds;
  const { streams, fps } = scenario;
  return withLeanServer(fps, async (server) => {
    const loadStart = loadAverage();
    const camerasFile = join(dir, `cameras-${streams}.json`);
    writeCamerasFile(camerasFile, server.port, streams);
    const client = async (kind: ClientKind, length: number, tag: string): Promise<ClientRun> => {
      const cpuFrom = server.cpuSeconds();
      const cli = kind === 'compared' && options.compare !== undefined ? options.compare : CLI;
      const run =
        kind === 'bare' || kind === 'bare+flags'
          ? await bareRun(kind, server.port, streams, length)
          : await cameraLoadRun(kind, cli, { dir, camerasFile, streams, seconds: length, tag: `${streams}-${kind}-${tag}` }, server);
      return { ...run, serverCpuSeconds: server.cpuSeconds() - cpuFrom };
    };
    // A warm-up, not counted: the server's first thousands of connections run its code cold.
    await bareRun('bare', server.port, Math.min(streams, 2000), 1);
    const kinds: ClientKind[] = [
      'camera-load',
      ...(options.compare === undefined ? [] : ['compared' as const]),
      'bare',
      ...(options.flagged ? ['bare+flags' as const] : []),
    ];
    const rounds: Round[] = [];
    for (let round = 1; round <= options.repeat; round++) {
      const order = round % 2 === 1 ? kinds : [...kinds].reverse();
      const long: Runs = {};
      const short: Runs = {};
      for (const kind of order) long[kind] = progress(scenario, round, options.repeat, await client(kind, seconds, `${round}`));
      if (scenario.fixedCost) {
        for (const kind of order.filter((k) => k !== 'bare+flags'))
          short[kind] = progress(scenario, round, options.repeat, await client(kind, SHORT_SECONDS, `${round}-short`));
      }
      rounds.push({ round, order, long, short });
    }
    const parts = scenario.fixedCost ? await phases(server.port, streams, SHORT_SECONDS, Number(DEFAULTS.connectConcurrency), 10) : undefined;
    return {
      scenario,
      seconds,
      rounds,
      ...(parts ? { parts } : {}),
      loadStart,
      loadEnd: loadAverage(),
      ...(options.compare === undefined ? {} : { compare: options.compare }),
    };
  });
}

function progress(scenario: Scenario, round: number, repeat: number, run: ClientRun): ClientRun {
  const frames = run.frames ? `, frames ${run.frames.counted} / ${run.frames.sent}` : '';
  process.stderr.write(
    `[process ${scenario.streams} × ${scenario.fps} fps, round ${round}/${repeat}] ${run.kind}: ${run.cpuSeconds.toFixed(2)} CPU-s, ` +
      `${(run.bytes / 1e9).toFixed(2)} GB, ${(run.peakRssBytes / 1e6).toFixed(0)} MB, ${run.wallSeconds.toFixed(1)} s, exit ${run.code}${frames}; ` +
      `server ${run.serverCpuSeconds?.toFixed(2) ?? '?'} CPU-s; load ${loadAverage()}\n`,
  );
  return run;
}
