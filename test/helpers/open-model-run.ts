import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { Report } from '../../src/report/report-types.js';
import type { FleetStats } from '../../src/sim/fleet-stats.js';
import type { RunningSimulator } from '../../src/sim/simulator.js';
import { waitFor } from './hold-streams.js';
import { readJson } from './read-json.js';
import { runCli } from './run-cli.js';

// An open-model run of the built CLI against a simulated fleet in the test's process, and the two records it leaves
// besides the report: the log's stream events (every one, where the report keeps 40 a stream) and the fleet's counters.

/** A stream event of the log: what happened to which stream (slot), at which second of the run clock. */
export interface LoggedEvent {
  event: string;
  stream: number;
  t: number;
}

export function loggedStreamEvents(logFile: string): LoggedEvent[] {
  return readFileSync(logFile, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Partial<LoggedEvent>)
    .filter((e): e is LoggedEvent => typeof e.stream === 'number' && typeof e.event === 'string' && typeof e.t === 'number');
}

/** One slot's arrivals after its first, departures (seconds on the run clock) and connections, from the log. */
export function slotHistory(events: readonly LoggedEvent[], slot: number): { arrive: number[]; depart: number[]; connects: number } {
  const mine = events.filter((e) => e.stream === slot);
  const at = (type: string): number[] => mine.filter((e) => e.event === type).map((e) => e.t);
  return { arrive: at('arrive'), depart: at('depart'), connects: at('connect').length };
}

export interface OpenModelRun {
  report: Report;
  events: LoggedEvent[];
}

/** Runs `camera-load run` with `args` against `sim`; the run must exit 0 with nothing on stderr. */
export async function runOpenModel(sim: RunningSimulator, dir: string, name: string, args: string[]): Promise<OpenModelRun> {
  const output = join(dir, `${name}.json`);
  const log = join(dir, `${name}.log`);
  const result = await runCli(['run', '--api-url', sim.apiUrl, ...args, '--output', output, '--log', log, '--quiet'], { timeoutMs: 30_000 });
  expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
  return { report: readJson<Report>(output), events: loggedStreamEvents(log) };
}

/** The fleet's figures once its timeline has a row from after `endedAt` (an ISO time): every close of the run is in them. */
export function fleetAfter(sim: RunningSimulator, endedAt: string): Promise<FleetStats> {
  const end = Date.parse(endedAt);
  return waitFor(
    () => {
      const stats = sim.stats();
      return (stats.timeline.rows.at(-1)?.at ?? 0) >= end && stats.openStreams === 0 ? stats : undefined;
    },
    'a fleet row after the run',
    5_000,
  );
}
