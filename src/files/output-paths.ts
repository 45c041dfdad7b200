import { basename, join, resolve } from 'node:path';
import { OutputError } from '../errors.js';

// Which files a command writes, how they may clash, and where a file goes when its own path fails. No I/O:
// check-outputs.ts probes the disk.

/** The path of an output that goes to stdout (`--output -`): paths are otherwise absolute, so never this. */
export const STDOUT_PATH = '-';

/**
 * The HTML page's path: the one given, or with `--html` alone the report's with .html (a report sent to stdout
 * lends its default name instead).
 */
export function htmlPath(html: string | true | undefined, report: string, reportName: string): string | undefined {
  if (html === undefined) return undefined;
  if (html !== true) return resolve(html);
  return resolve(report === STDOUT_PATH ? reportName : report).replace(/(\.json)?$/i, '.html');
}

/** A file a command writes, named by the flag (or variable) that chose it, for one-line errors. */
export interface OutputTarget {
  flag: string;
  /** Absolute, or STDOUT_PATH. */
  path: string;
  /** Appended to as the run goes (the log, the step summary) rather than written once and renamed into place. */
  append: boolean;
}

/** Two outputs naming one file would overwrite each other: a usage error, before anything runs. */
export function assertNoConflict(targets: readonly OutputTarget[]): void {
  for (let i = 0; i < targets.length; i++) {
    for (let j = i + 1; j < targets.length; j++) {
      const a = targets[i] as OutputTarget;
      const b = targets[j] as OutputTarget;
      if (a.path === b.path && a.path !== STDOUT_PATH)
        throw new OutputError('ERR_OUTPUT_CONFLICT', `${a.flag} and ${b.flag} name the same file ${a.path}; give each its own`);
    }
  }
}

/** The step of a write that failed, in the words of the one-line error. */
export type OutputStep = 'folder' | 'write' | 'append' | 'target' | 'special' | 'time';

const STEP_WORDS: Record<OutputStep, string> = {
  folder: 'cannot create the folder',
  write: 'cannot write in the folder',
  append: 'cannot append to it',
  target: 'is a folder, not a file',
  // Written by a rename, a report would replace the device itself (as root, /dev/full became a JSON file).
  special: 'is a device or other special file, which the report would replace',
  time: 'the disk did not answer in time',
};

/** The system's code for a failed file operation (ENOENT, EACCES, …), or what little is known. */
export function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && code !== '' ? code : 'EIO';
}

/** "cannot create the folder (ENOENT)": what failed and the system's code; never a path's secrets, since paths have none. */
export function describeOutputFailure(step: OutputStep, error: unknown): string {
  return `${STEP_WORDS[step]} (${errorCode(error)})`;
}

/** The one line for an output that cannot be written: flag, path, reason. */
export function notWritable(target: OutputTarget, reason: string, cause?: unknown): OutputError {
  return new OutputError('ERR_OUTPUT_NOT_WRITABLE', `${target.flag} ${target.path}: ${reason}`, { cause });
}

/**
 * Where a file goes when its own path fails at the end of a run: each of `folders` in turn (the working folder,
 * then the system's temporary one; undefined for a working folder that was deleted) under `name`. The path that
 * failed is never tried twice.
 */
export function fallbackPaths(failed: string, name: string, folders: readonly (string | undefined)[]): string[] {
  const candidates = folders.filter((folder): folder is string => folder !== undefined).map((folder) => join(folder, basename(name)));
  return candidates.filter((path, i) => path !== failed && candidates.indexOf(path) === i);
}
