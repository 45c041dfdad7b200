import { spawn } from 'node:child_process';
import { GC_FLAGS } from './gc-tuning.js';

/** `CAMERA_LOAD_NO_RELAUNCH=1`: run in this process, with Node's own garbage-collector settings. */
export const NO_RELAUNCH_ENV = 'CAMERA_LOAD_NO_RELAUNCH';
/** Set for the relaunched process: the launcher's pid, so that a process it forks in turn is not taken for it. */
export const LAUNCHER_ENV = 'CAMERA_LOAD_LAUNCHER_PID';

// Only `run` and `max` read streams: the flags are worth a second process for them alone.
const STREAMING_COMMANDS = ['run', 'max'];
const INFO_FLAGS = ['-h', '--help', '-V', '--version'];

export interface StartFacts {
  argv: readonly string[];
  execArgv: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
}

/**
 * Node's arguments to start camera-load again with the garbage-collector flags (`GC_FLAGS`), or undefined when
 * this process should do the work itself: the flags are already there, the command is not one that streams (run
 * or max), a debugger is attached here, or `CAMERA_LOAD_NO_RELAUNCH=1`.
 */
export function relaunchArguments({ argv, execArgv, env }: StartFacts): string[] | undefined {
  if (env[NO_RELAUNCH_ENV] === '1') return undefined;
  const missing = GC_FLAGS.filter((flag) => !execArgv.includes(flag));
  if (missing.length === 0) return undefined;
  if (execArgv.some((arg) => arg.startsWith('--inspect'))) return undefined;
  const [script, ...args] = argv.slice(1);
  if (script === undefined || args.some((arg) => INFO_FLAGS.includes(arg))) return undefined;
  // As commander reads argv: an option first (the top level's --debug aside), or nothing, is the default command, run.
  const first = args.find((arg) => arg !== '--debug');
  const streams = first === undefined || first.startsWith('-') || STREAMING_COMMANDS.includes(first);
  return streams ? [...execArgv, ...missing, script, ...args] : undefined;
}

/**
 * Which commands the CLI must load to run `args` (argv after the script) as commander will read them: the one
 * the first word names; `run`, the default, when an option or a word that names no command comes first; none
 * for the top level's --version or --help (its help lists each command by name and description only); every
 * one when in doubt (`help <command>`, `--`). Loading a command loads its engine: about 0.3 CPU-s and 40 MB
 * that --version and --help do not need.
 */
export function commandsToLoad(args: readonly string[], names: readonly string[]): readonly string[] {
  if (args.includes('--')) return names;
  if (args.some((arg) => arg === '-V' || arg === '--version')) return [];
  for (const arg of args) {
    if (arg === '--debug') continue;
    // The first option commander's top level does not know: it and all after go to the default command.
    if (arg.length > 1 && arg.startsWith('-')) break;
    if (names.includes(arg)) return [arg];
    return arg === 'help' ? names : ['run'];
  }
  return args.some((arg) => arg === '-h' || arg === '--help') ? [] : ['run'];
}

/** Whether this process is the one a launcher started (its parent, not an ancestor further up). */
export function startedByLauncher(env: StartFacts['env'], ppid: number): boolean {
  return env[LAUNCHER_ENV] === String(ppid);
}

/** What the launcher sends for each SIGINT or SIGTERM it receives. */
export interface SignalMessage {
  signal: 'SIGINT' | 'SIGTERM';
}

export function isSignalMessage(message: unknown): message is SignalMessage {
  const signal = (message as Partial<SignalMessage> | null)?.signal;
  return signal === 'SIGINT' || signal === 'SIGTERM';
}

export interface Relaunched {
  /** Passes one signal on; the child acts on these, not on the signals sent to it directly. */
  forward: (signal: SignalMessage['signal']) => void;
  /** The child's exit; rejects when it could not be started. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts the child with the terminal (stdio inherited) and an IPC channel for signals. Ctrl+C in a terminal
 * signals the launcher and the child both; forwarding as signals would make the child see it twice, and a
 * second Ctrl+C means "stop now, skip the report".
 */
export function relaunch(execPath: string, args: readonly string[], env: StartFacts['env'], launcherPid: number): Relaunched {
  const child = spawn(execPath, args, { stdio: ['inherit', 'inherit', 'inherit', 'ipc'], env: { ...env, [LAUNCHER_ENV]: String(launcherPid) } });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      resolve({ code, signal });
    });
  });
  return {
    forward: (signal) => {
      if (child.connected) child.send({ signal } satisfies SignalMessage, () => undefined);
    },
    exited,
  };
}
