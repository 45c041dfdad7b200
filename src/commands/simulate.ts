import { setTimeout as sleep } from 'node:timers/promises';
import type { Command } from 'commander';
import type { ActionRunner, CommandContext, CommandResult } from '../command-context.js';
import { deadline } from '../connection/deadline.js';
import { ExitCode } from '../exit-codes.js';
import { simulatorOptionsFromFlags, type SimulateFlags } from '../options/simulate-options.js';
import { parseDuration } from '../options/units.js';
import { describeFleet, statusLine, stoppedLine } from '../render/fleet.js';
import { startSimulator } from '../sim/simulator.js';
import { COMMANDS, declareCommand } from './catalog.js';

// `camera-load simulate`: options → the simulated fleet → status lines, until Ctrl+C, --duration or the parent goes.

async function runSimulate(flags: SimulateFlags, context: CommandContext): CommandResult {
  const options = simulatorOptionsFromFlags(flags);
  const durationMs = flags.duration === undefined ? undefined : parseDuration(flags.duration, '--duration');
  const intervalMs = parseDuration(flags.statusInterval, '--status-interval');
  const sim = await startSimulator(options);
  const print = (line: string): void => {
    if (!flags.quiet) context.stdout.write(`${line}\n`);
  };
  for (const line of describeFleet(sim)) print(line);
  print(durationMs === undefined ? 'Press Ctrl+C to stop.' : `Stopping after ${durationMs / 1000} s (or Ctrl+C).`);
  // A parent process (run --simulate, tests, benchmarks) learns the URL without parsing text, and a fleet it
  // started stops when it goes away, even killed before it could say so.
  context.parent?.send({ type: 'ready', apiUrl: sim.apiUrl, statsUrl: sim.statsUrl, port: sim.port });
  const stopRequested = new AbortController();
  const requestStop = (): void => {
    stopRequested.abort();
  };
  context.signal.addEventListener('abort', requestStop, { once: true });
  const letGoOfParent = context.parent?.onGone(requestStop);
  const { signal: stop, dispose } = deadline(stopRequested.signal, durationMs);
  let lastBytes = 0;
  let lastAt = performance.now();
  while (await sleep(intervalMs, true, { signal: stop }).catch(() => false)) {
    const now = performance.now();
    print(statusLine(sim, lastBytes, (now - lastAt) / 1000));
    lastBytes = sim.stats().totals.bytesSent;
    lastAt = now;
  }
  dispose();
  letGoOfParent?.();
  await sim.close();
  print(stoppedLine(sim));
  return ExitCode.OK;
}

export function simulateCommand(runAction: ActionRunner): Command {
  return declareCommand(COMMANDS.simulate).action((flags: SimulateFlags) => runAction((context) => runSimulate(flags, context)));
}
