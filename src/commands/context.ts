import type { Readable, Writable } from 'node:stream';
import type { ExitCode } from '../exit-codes.js';

/** What the CLI layer hands a command: its streams, whether a person is there, and the Ctrl+C signal. */
export interface CommandContext {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
  /** stdout is a terminal: draw a live panel. */
  stdoutIsTTY: boolean;
  /** stdin and stdout are terminals: a person can answer questions. */
  interactive: boolean;
  signal: AbortSignal;
}

export type CommandResult = Promise<ExitCode>;

/** Given by the CLI layer: runs a command's action and turns its result into the process exit code. */
export type ActionRunner = (action: (context: CommandContext) => CommandResult) => Promise<void>;
