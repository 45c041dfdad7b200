import { Command, CommanderError } from 'commander';
import type { ActionRunner, ParentChannel } from './command-context.js';
import { maxCommand } from './commands/max.js';
import { mergeCommand } from './commands/merge.js';
import { runCommand } from './commands/run.js';
import { simulateCommand } from './commands/simulate.js';
import { CameraLoadError } from './errors.js';
import { ExitCode } from './exit-codes.js';
import { tuneGarbageCollection } from './gc-tuning.js';
import { VERSION } from './version.js';

// The only module that touches argv, the process's exit code, signals and V8's flags.

tuneGarbageCollection();

/** Ctrl+C or SIGTERM ends the process within this, whatever hangs (README: within 5 s). */
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
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
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
  const message = text.replace(/^error: /, '').replace(/\s+/g, ' ').trim();
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
        commandDeadline = exitLater(ms, ExitCode.INTERNAL, `not finished within ${ms / 1000} s (the run's duration plus its shutdown budget); stopped (ERR_SHUTDOWN_TIMEOUT)`);
      },
    });
  } finally {
    clearTimeout(commandDeadline);
  }
};

const program = new Command('camera-load')
  .description('Load tester for MJPEG (multipart/x-mixed-replace) camera streams')
  .version(VERSION, '-V, --version')
  .option('--debug', 'show stack traces for errors')
  .exitOverride()
  .configureOutput({
    outputError: (text, write) => {
      write(oneLineError('camera-load', text));
    },
  });
program.addCommand(runCommand(runAction), { isDefault: true });
program.addCommand(maxCommand(runAction));
program.addCommand(simulateCommand(runAction));
program.addCommand(mergeCommand(runAction));
for (const command of program.commands) {
  command.exitOverride().configureOutput({
    outputError: (text, write) => {
      write(oneLineError(`camera-load ${command.name()}`, text));
    },
  });
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    const ok = ['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(error.code);
    process.exitCode = ok ? ExitCode.OK : ExitCode.USAGE;
  } else {
    fail(error);
  }
} finally {
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  exitLater(LINGER_MS, Number(process.exitCode ?? ExitCode.OK), '');
}
