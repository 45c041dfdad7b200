import { constants } from 'node:os';
import type { Command } from 'commander';
import type { ActionRunner, ParentChannel } from './command-context.js';
import { ExitCode } from './exit-codes.js';
import { collectEveryMinute } from './launcher/gc-tuning.js';
import { commandsToLoad, isSignalMessage, relaunch, relaunchArguments, startedByLauncher } from './launcher/relaunch.js';
import type { CommandInfo } from './commands/catalog.js';

// The only module that touches argv, the process's exit code and signals.

/** Started without the garbage-collector flags: start Node again with them, and end as that process ends. */
async function runRelaunched(args: string[]): Promise<never> {
  const child = relaunch(process.execPath, args, process.env, process.pid);
  process.on('SIGINT', child.forward);
  process.on('SIGTERM', child.forward);
  const exit = await child.exited.catch((error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`camera-load: could not start Node again with its V8 flags: ${message}; CAMERA_LOAD_NO_RELAUNCH=1 runs without them (ERR_RELAUNCH)\n`);
    return process.exit(ExitCode.INTERNAL);
  });
  process.off('SIGINT', child.forward);
  process.off('SIGTERM', child.forward);
  if (exit.signal === null) return process.exit(exit.code ?? ExitCode.INTERNAL);
  // Ended by a signal: end by the same one, or, should that not end this process, as a shell reports it.
  const signal = exit.signal;
  process.kill(process.pid, signal);
  return new Promise<never>(() => {
    setTimeout(() => process.exit(128 + constants.signals[signal]), 1_000);
  });
}

const relaunchArgs = relaunchArguments({ argv: process.argv, execArgv: process.execArgv, env: process.env });
if (relaunchArgs !== undefined) await runRelaunched(relaunchArgs);

// Loaded once it is known this process runs the command: a launcher only starts Node again, the sooner the better
// (commander and the catalog were 20-30 ms of the launcher's start, before its child's).
const [{ CommanderError }, { CameraLoadError }, { COMMANDS: COMMAND_INFO, declareCommand, declareProgram, unknownCommand }, { closestNames }, { VERSION }] =
  await Promise.all([import('commander'), import('./errors.js'), import('./commands/catalog.js'), import('./text/did-you-mean.js'), import('./version.js')]);

collectEveryMinute();

type CommandFactory = (runAction: ActionRunner) => Command;
/**
 * Every command, in the order the help lists them, with its module, loaded only when argv needs it
 * (commandsToLoad): a command's module loads its engine (undici, pino, systeminformation, hdr-histogram-js),
 * which --version and --help do not need.
 */
const LOADERS: readonly (CommandInfo & { load: () => Promise<CommandFactory> })[] = [
  { ...COMMAND_INFO.run, load: async () => (await import('./commands/run.js')).runCommand },
  { ...COMMAND_INFO.max, load: async () => (await import('./commands/max.js')).maxCommand },
  { ...COMMAND_INFO.simulate, load: async () => (await import('./commands/simulate.js')).simulateCommand },
  { ...COMMAND_INFO.merge, load: async () => (await import('./commands/merge.js')).mergeCommand },
  { ...COMMAND_INFO.cameras, load: async () => (await import('./commands/cameras.js')).camerasCommand },
  { ...COMMAND_INFO.report, load: async () => (await import('./commands/report.js')).reportCommand },
  { ...COMMAND_INFO.compare, load: async () => (await import('./commands/compare.js')).compareCommand },
];

/**
 * A command not loaded: the help lists it, and the top-level help shows run's options, as for the real one; should
 * commander pick it to run, everything is loaded.
 */
class NotLoaded extends Error {}
function placeholder(entry: CommandInfo): Command {
  return declareCommand(entry)
    .allowUnknownOption()
    .allowExcessArguments()
    .action(() => {
      throw new NotLoaded(entry.name);
    });
}

/** Ctrl+C or SIGTERM ends the process within this, whatever hangs (docs/run.md, Stopping: within 5 s). */
const INTERRUPT_EXIT_MS = 4_500;
/** Once the command has returned, what still holds the event loop (a stuck socket or disk request) gets this long. */
const LINGER_MS = 2_000;

// These timers are unref'd: they never keep the process alive, they only end one that something else keeps alive.
function exitLater(ms: number, code: number, why: string): NodeJS.Timeout {
  return setTimeout(() => {
    if (why) process.stderr.write(`camera-load: ${why}\n`);
    process.exit(code);
  }, ms).unref();
}

const controller = new AbortController();
let interrupts = 0;
function onSignal(signal: NodeJS.Signals): void {
  interrupts++;
  // A second Ctrl+C means "now": skip the clean shutdown.
  if (interrupts > 1) process.exit(ExitCode.INTERRUPTED);
  controller.abort(signal);
  exitLater(INTERRUPT_EXIT_MS, ExitCode.INTERRUPTED, 'interrupted, and the shutdown did not finish in time');
}
// Ctrl+C in a terminal reaches the launcher and this process both: a relaunched process takes its signals from
// the launcher alone (one message each), or one Ctrl+C would count as two. Without the launcher, it stops too.
const relaunched = startedByLauncher(process.env, process.ppid) && process.channel !== undefined;
const ignore = (): void => undefined;
const fromLauncher = (message: unknown): void => {
  if (isSignalMessage(message)) onSignal(message.signal);
};
const launcherGone = (): void => {
  onSignal('SIGTERM');
};
const ownSignal = relaunched ? ignore : onSignal;
process.on('SIGINT', ownSignal);
process.on('SIGTERM', ownSignal);
if (relaunched) {
  process.on('message', fromLauncher);
  process.on('disconnect', launcherGone);
  // The channel must not keep this process alive once the command is done.
  process.channel?.unref();
}
// A reader that went away (`camera-load | head`) must not end the run with an unhandled EPIPE: the report
// and the log are still written.
for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);

const debug = process.argv.includes('--debug');

function fail(error: unknown): void {
  if (error instanceof CameraLoadError) {
    process.stderr.write(`camera-load: ${error.message}\n`);
    if (debug && error.stack) process.stderr.write(`${error.stack}\n`);
    process.exitCode = error.exitCode;
    return;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`camera-load: internal error: ${message} (run with --debug for details)\n`);
  if (debug && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  process.exitCode = ExitCode.INTERNAL;
}

function oneLineError(prefix: string, text: string): string {
  const message = text
    .replace(/^error: /, '')
    .replace(/\s+/g, ' ')
    .trim();
  return `${prefix}: ${message} (see ${prefix} --help)\n`;
}

/** The working folder, or undefined when it was deleted while the run went on (process.cwd() throws then). */
function workingFolder(): string | undefined {
  try {
    return process.cwd();
  } catch {
    return undefined;
  }
}

function parentChannel(): ParentChannel | undefined {
  if (!process.send || !process.connected) return undefined;
  return {
    send: (message) => process.send?.(message),
    onGone: (listener) => {
      process.once('disconnect', listener);
      // A 'disconnect' listener keeps the IPC channel, and so this process, alive: the caller lets go of it.
      return () => process.off('disconnect', listener);
    },
  };
}

let commandDeadline: NodeJS.Timeout | undefined;
const runAction: ActionRunner = async (action) => {
  // CI runners sometimes fake a terminal; a CI log wants plain lines.
  const stdoutIsTTY = process.env.CI !== 'true' && process.stdout.isTTY;
  try {
    process.exitCode = await action({
      env: process.env,
      workingFolder,
      parent: parentChannel(),
      stdin: process.stdin,
      stdout: process.stdout,
      stderr: process.stderr,
      stdoutIsTTY,
      interactive: stdoutIsTTY && process.stdin.isTTY,
      signal: controller.signal,
      mustFinishWithin: (ms) => {
        clearTimeout(commandDeadline);
        commandDeadline = exitLater(
          ms,
          ExitCode.INTERNAL,
          `not finished within ${ms / 1000} s (the run's duration plus its shutdown budget); stopped (ERR_SHUTDOWN_TIMEOUT)`,
        );
      },
    });
  } finally {
    clearTimeout(commandDeadline);
  }
};

async function buildProgram(load: readonly string[]): Promise<Command> {
  const factories = await Promise.all(LOADERS.map((entry) => (load.includes(entry.name) ? entry.load() : Promise.resolve(undefined))));
  const commands = LOADERS.map((entry, i) => factories[i]?.(runAction) ?? placeholder(entry));
  const program = declareProgram(VERSION, commands)
    .exitOverride()
    .configureOutput({
      outputError: (text, write) => {
        write(oneLineError('camera-load', text));
      },
    });
  for (const command of program.commands) {
    command.exitOverride().configureOutput({
      outputError: (text, write) => {
        write(oneLineError(`camera-load ${command.name()}`, text));
      },
    });
  }
  return program;
}

/** `camera-load rn`: commander would read the word as an argument of run, the default command. */
function refuseUnknownCommand(word: string): void {
  const near = closestNames(word, allCommands);
  process.stderr.write(oneLineError('camera-load', `unknown command '${word}'${near.length > 0 ? ` (did you mean ${near.join(' or ')}?)` : ''}`));
  process.exitCode = ExitCode.USAGE;
}

const allCommands = LOADERS.map((entry) => entry.name);
const unknown = unknownCommand(process.argv.slice(2));
try {
  try {
    if (unknown !== undefined) refuseUnknownCommand(unknown);
    else await (await buildProgram(commandsToLoad(process.argv.slice(2), allCommands))).parseAsync(process.argv);
  } catch (error) {
    // commandsToLoad guessed wrong (nothing has run yet): parse again with every command loaded.
    if (!(error instanceof NotLoaded)) throw error;
    await (await buildProgram(allCommands)).parseAsync(process.argv);
  }
} catch (error) {
  if (error instanceof CommanderError) {
    const ok = ['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(error.code);
    process.exitCode = ok ? ExitCode.OK : ExitCode.USAGE;
  } else {
    fail(error);
  }
} finally {
  process.off('SIGINT', ownSignal);
  process.off('SIGTERM', ownSignal);
  process.off('message', fromLauncher);
  process.off('disconnect', launcherGone);
  exitLater(LINGER_MS, Number(process.exitCode ?? ExitCode.OK), '');
}
