import type { Readable, Writable } from 'node:stream';
import type { ExitCode } from './exit-codes.js';

/** A parent process that forked this one (run --simulate, tests, benchmarks), over Node's IPC channel. */
export interface ParentChannel {
  send(message: unknown): void;
  /** Calls `listener` once the parent is gone (even killed); returns how to stop listening. */
  onGone(listener: () => void): () => void;
}

/**
 * What the CLI layer hands a command: its streams, its environment, whether a person is there, and the Ctrl+C
 * signal. Only src/cli.ts touches `process`; everything below reads this.
 */
export interface CommandContext {
  env: NodeJS.ProcessEnv;
  /** The working folder, or undefined when it was deleted while the command ran. */
  workingFolder: () => string | undefined;
  /** Set when a parent process forked this one with an IPC channel. */
  parent: ParentChannel | undefined;
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
  /** stdout is a terminal: draw a live panel. */
  stdoutIsTTY: boolean;
  /** stdin and stdout are terminals: a person can answer questions. */
  interactive: boolean;
  signal: AbortSignal;
  /**
   * The last resort against a hang: if the command has not returned `ms` from now, the CLI says so on stderr
   * and exits 70. Each call replaces the previous limit. Commands arm it when a run starts (its duration plus the
   * shutdown budget), so no failure can keep the process alive past that; waits on a person are not limited.
   */
  mustFinishWithin: (ms: number) => void;
}

export type CommandResult = Promise<ExitCode>;

/** Given by the CLI layer: runs a command's action and turns its result into the process exit code. */
export type ActionRunner = (action: (context: CommandContext) => CommandResult) => Promise<void>;
