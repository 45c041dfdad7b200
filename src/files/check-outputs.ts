import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { open, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { OutputError } from '../errors.js';
import { describeOutputFailure, notWritable, STDOUT_PATH, type OutputStep, type OutputTarget } from './output-paths.js';
import { ensureFolder, withTimeout } from './write-file.js';

/** A probe is a handful of syscalls; a disk that takes longer is as good as unwritable for a run. */
const PROBE_TIMEOUT_MS = 5_000;

class ProbeFailure extends Error {
  constructor(
    readonly step: OutputStep,
    readonly original: unknown,
  ) {
    super(describeOutputFailure(step, original));
  }
}

async function step<T>(name: OutputStep, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw new ProbeFailure(name, error);
  }
}

async function probe(target: OutputTarget): Promise<void> {
  // Missing is the usual case; any other failure (ENOTDIR, EACCES) the steps below name better.
  const existing = await stat(target.path).catch(() => undefined);
  if (existing?.isDirectory()) throw new ProbeFailure('target', Object.assign(new Error('a folder'), { code: 'EISDIR' }));
  // Appending to a device is fine (--log /dev/null); renaming over one is not.
  if (existing && !existing.isFile() && !target.append) throw new ProbeFailure('special', Object.assign(new Error('not a file'), { code: 'EEXIST' }));
  const folder = dirname(target.path);
  await step('folder', () => ensureFolder(folder));
  // Permissions, read-only mounts and full quotas show only when a file is really created.
  const probePath = join(folder, `.${basename(target.path)}.${randomBytes(4).toString('hex')}.probe`);
  await step('write', async () => {
    const handle = await open(probePath, 'wx');
    await handle.close();
    await rm(probePath, { force: true });
  });
  if (target.append && existing) {
    // Opening for append neither truncates nor writes: the file is left as it was. Non-blocking, because a
    // FIFO without a reader would hold the open, and its thread-pool thread, for ever.
    await step('append', async () => {
      const handle = await open(target.path, constants.O_WRONLY | constants.O_APPEND | constants.O_NONBLOCK);
      await handle.close();
    });
  }
}

/** Undefined when `target` can be written, else the error naming the flag, the path and why not. */
export async function probeOutput(target: OutputTarget): Promise<OutputError | undefined> {
  try {
    await withTimeout(probe(target), PROBE_TIMEOUT_MS);
    return undefined;
  } catch (error) {
    if (error instanceof ProbeFailure) return notWritable(target, error.message, error.original);
    return notWritable(target, describeOutputFailure('time', error), error);
  }
}

/** Probes every target for real, in order, and throws the first failure: before any stream opens. */
export async function checkOutputs(targets: readonly OutputTarget[]): Promise<void> {
  for (const target of targets) {
    // `--output -` goes to stdout: there is no file to probe. (A file named '-' is './-', resolved, never bare.)
    if (target.path === STDOUT_PATH) continue;
    const failure = await probeOutput(target);
    if (failure) throw failure;
  }
}
