import { readFileSync } from 'node:fs';

/** A JSON file's value (a report, a camera list), typed as the test expects it. */
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names the shape the file holds
export function readJson<T = unknown>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}
