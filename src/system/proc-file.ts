import { readFile } from 'node:fs/promises';

/** A /proc file's text in one asynchronous read; undefined where there is no /proc (not Linux, or hidden). */
export async function readProcFile(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}
