import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { appendFile, mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** An error with a system code, as node:fs raises them; for failures found without a syscall. */
function fsError(code: string, message: string): NodeJS.ErrnoException {
  return Object.assign(new Error(message), { code });
}

/**
 * mkdir -p that always ends. Node's own `mkdir(path, { recursive: true })` never returns when a folder's parent
 * exists but creating the folder still fails with ENOENT, as anywhere under /proc: its native loop steps back to
 * the parent on ENOENT and forward again on EEXIST, for ever, on a thread-pool thread (so Ctrl+C could not end
 * the wait either). Here each level is tried at most twice.
 */
export async function ensureFolder(path: string): Promise<void> {
  const attempt = async (): Promise<'done' | 'no-parent'> => {
    try {
      await mkdir(path);
      return 'done';
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return 'no-parent';
      if (code !== 'EEXIST') throw error;
    }
    // EEXIST: a folder is fine; a file or a dangling link is not.
    if (!(await stat(path)).isDirectory()) throw fsError('ENOTDIR', `${path} is not a folder`);
    return 'done';
  };
  if ((await attempt()) === 'done') return;
  const parent = dirname(path);
  if (parent === path) throw fsError('ENOENT', `${path} does not exist`);
  await ensureFolder(parent);
  if ((await attempt()) === 'no-parent') throw fsError('ENOENT', `cannot create ${path}`);
}

/** Writes to a temporary file beside the target, then renames: a reader never sees half a report. */
export async function writeFileAtomic(path: string, content: string): Promise<void> {
  await ensureFolder(dirname(path));
  const temporary = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, content, 'utf8');
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined);
    throw error;
  }
}

/**
 * Appends without ever blocking in the open: a FIFO with no reader fails at once (ENXIO) instead of holding a
 * thread-pool thread for ever, which would also hold the process at exit (libuv joins its threads there).
 */
export async function appendWithoutBlocking(path: string, content: string): Promise<void> {
  await appendFile(path, content, { flag: constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NONBLOCK });
}

/**
 * `work`, or an ETIMEDOUT error after `ms`: a disk that stops answering (a hung network mount) must not hold
 * the process. The work itself cannot be cancelled; it is left to finish or fail on its own.
 */
export async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(fsError('ETIMEDOUT', `no answer within ${ms} ms`));
    }, ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Where a file was saved: `path` undefined when every place failed; `failure` says why the asked path did. */
export interface Saved {
  path: string | undefined;
  failure: unknown;
}

/** One attempt's time limit: a local disk answers in milliseconds, and the run's shutdown budget is short. */
export const WRITE_TIMEOUT_MS = 1_500;

/** Writes `content` atomically to `path`, or else to the first of `fallbacks` that works. */
export async function saveWithFallback(content: string, path: string, fallbacks: readonly string[]): Promise<Saved> {
  try {
    await withTimeout(writeFileAtomic(path, content), WRITE_TIMEOUT_MS);
    return { path, failure: undefined };
  } catch (failure) {
    for (const fallback of fallbacks) {
      try {
        await withTimeout(writeFileAtomic(fallback, content), WRITE_TIMEOUT_MS);
        return { path: fallback, failure };
      } catch {
        // The next place, then the caller's last resort.
      }
    }
    return { path: undefined, failure };
  }
}

/** YYYYMMDD_HHMMSS in local time, as the original tool named its files. */
export function fileTimestamp(date: Date): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return (
    `${date.getFullYear()}${pad(date.getMonth() + 1)}${pad(date.getDate())}_` + `${pad(date.getHours())}${pad(date.getMinutes())}${pad(date.getSeconds())}`
  );
}
