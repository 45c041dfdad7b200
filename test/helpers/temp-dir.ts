import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/** A fresh folder for one test file's outputs, removed when the file's tests are done. */
export function tempDir(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `camera-load-${name}-`));
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}

/** A new empty folder under `dir` at each call, for one case's outputs (case-1, case-2, …). */
export function caseFolders(dir: string): () => string {
  let counter = 0;
  return () => {
    const folder = join(dir, `case-${++counter}`);
    mkdirSync(folder);
    return folder;
  };
}
