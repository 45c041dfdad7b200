import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder of camera-load's package.json, found by walking up from this file: the same answer whether the
 * code runs from src/ (tests), dist/ (users) or dist-bench/ (benchmarks).
 */
export const PACKAGE_ROOT = ((): string => {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 6; depth++) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate) && (JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string }).name === 'camera-load') return dir;
    dir = dirname(dir);
  }
  throw new Error('camera-load: cannot find its own package.json');
})();
