import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { appendFile, mkdir, open, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { performance } from 'node:perf_hooks';

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

/** What a file holds: a text, or one made in pieces as it is written, made anew for each place it is tried in. */
export type FileContent = string | (() => Iterable<string>);

/** Pieces are written about this many characters at a time: a few system calls for a report, no whole copy of it. */
const WRITE_CHARS = 1 << 20;

/** The texts to write, in order: a string as it is, pieces gathered to about WRITE_CHARS characters. */
export function* contentTexts(content: FileContent): Generator<string> {
  if (typeof content === 'string') {
    yield content;
    return;
  }
  let gathered: string[] = [];
  let length = 0;
  for (const piece of content()) {
    gathered.push(piece);
    length += piece.length;
    if (length < WRITE_CHARS) continue;
    const text = gathered.join('');
    // Each text is encoded alone: a pair of surrogates is never cut in two (each half would become U+FFFD).
    const cut = isHighSurrogate(text.charCodeAt(text.length - 1)) ? text.length - 1 : text.length;
    yield text.slice(0, cut);
    gathered = [text.slice(cut)];
    length = text.length - cut;
  }
  if (length > 0) yield gathered.join('');
}

const isHighSurrogate = (code: number): boolean => code >= 0xd800 && code <= 0xdbff;

/** The content could not be made (JSON.stringify refused a value): no other place would take it, so no place is tried. */
class ContentFailure extends Error {
  constructor(readonly error: unknown) {
    super('the content could not be made', { cause: error });
  }
}

/** The next text, a failure to make it told apart from the disk's. */
function nextText(texts: Iterator<string>): IteratorResult<string> {
  try {
    return texts.next();
  } catch (error) {
    throw new ContentFailure(error);
  }
}

/** The time one write may wait on the disk: the time spent making its content is not the disk's. */
class DiskTime {
  #leftMs: number;
  constructor(limitMs: number) {
    this.#leftMs = limitMs;
  }

  async wait<T>(start: () => Promise<T>): Promise<T> {
    if (this.#leftMs === Infinity) return start();
    if (this.#leftMs <= 0) throw fsError('ETIMEDOUT', 'no time left');
    const started = performance.now();
    try {
      return await withTimeout(start(), this.#leftMs);
    } finally {
      this.#leftMs -= performance.now() - started;
    }
  }
}

async function writeText(handle: FileHandle, text: string, disk: DiskTime): Promise<void> {
  const bytes = Buffer.from(text, 'utf8');
  for (let at = 0; at < bytes.length;) {
    const { bytesWritten } = await disk.wait(() => handle.write(bytes, at, bytes.length - at));
    if (bytesWritten <= 0) throw fsError('EIO', 'the disk took no bytes');
    at += bytesWritten;
  }
}

/**
 * Writes to a temporary file beside the target, then renames: a reader never sees half a report. `diskLimitMs`:
 * the most it waits on the disk (ETIMEDOUT past it); what is left behind then is removed when the disk answers.
 */
export async function writeFileAtomic(path: string, content: FileContent, diskLimitMs = Infinity): Promise<void> {
  const disk = new DiskTime(diskLimitMs);
  await disk.wait(() => ensureFolder(dirname(path)));
  const temporary = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  let opening: Promise<FileHandle> | undefined;
  try {
    const handle = await disk.wait(() => (opening = open(temporary, 'w')));
    const texts = contentTexts(content);
    for (let next = nextText(texts); next.done !== true; next = nextText(texts)) await writeText(handle, next.value, disk);
    await disk.wait(() => handle.close());
    await disk.wait(() => rename(temporary, path));
  } catch (error) {
    const closed = opening === undefined ? Promise.resolve() : opening.then((handle) => handle.close());
    const removed = closed.catch(() => undefined).then(() => rm(temporary, { force: true }));
    await disk.wait(() => removed).catch(() => undefined);
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

/** The most one attempt waits on the disk: a local disk answers in milliseconds, and the run's shutdown budget is short. */
export const WRITE_TIMEOUT_MS = 1_500;

/**
 * Writes `content` atomically to `path`, or else to the first of `fallbacks` that works. Content that cannot be
 * made throws, as JSON.stringify would have before anything was written.
 */
export async function saveWithFallback(content: FileContent, path: string, fallbacks: readonly string[]): Promise<Saved> {
  try {
    await writeFileAtomic(path, content, WRITE_TIMEOUT_MS);
    return { path, failure: undefined };
  } catch (failure) {
    if (failure instanceof ContentFailure) throw failure.error;
    for (const fallback of fallbacks) {
      try {
        await writeFileAtomic(fallback, content, WRITE_TIMEOUT_MS);
        return { path: fallback, failure };
      } catch (error) {
        if (error instanceof ContentFailure) throw error.error;
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
