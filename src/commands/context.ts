import type { Writable } from 'node:stream';
import type { ExitCode } from '../exit-codes.js';

/** What the CLI layer hands a command: its outputs and the signal that Ctrl+C / SIGTERM aborts. */
export interface CommandContext {
  stdout: Writable;
  stderr: Writable;
  signal: AbortSignal;
}

export type CommandResult = Promise<ExitCode>;

/** Given by the CLI layer: runs a command's action and turns its result into the process exit code. */
export type ActionRunner = (action: (context: CommandContext) => CommandResult) => Promise<void>;
