import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { circles, readImports, violations } from './layers.js';

const SRC = fileURLToPath(new URL('../../src', import.meta.url));

describe('the layering rule (docs/architecture.md), read from the imports of src/', () => {
  const imports = readImports(SRC);

  it('reads the imports it judges', () => {
    expect(imports.length).toBeGreaterThan(200);
    expect(imports.some((i) => i.from === 'cli.ts' && i.to === 'commands/run.ts')).toBe(true);
  });

  it('imports point down: a folder imports its own files and lower floors only; pure folders do no I/O', () => {
    expect(violations(imports)).toEqual([]);
  });

  it('no circles between files', () => {
    expect(circles(imports)).toEqual([]);
  });

  it('fails on a planted upward import, a sideways one, I/O in a pure folder and a circle', () => {
    const planted = [
      { from: 'mjpeg/part-stream.ts', to: 'connection/stream-session.ts', local: true, line: 1 },
      { from: 'connection/stall-watchdog.ts', to: 'system/sampler.ts', local: true, line: 2 },
      { from: 'report/build-report.ts', to: 'node:fs/promises', local: false, line: 3 },
      { from: 'metrics/timeline.ts', to: 'undici', local: false, line: 4 },
      { from: 'brand-new/x.ts', to: 'errors.ts', local: true, line: 5 },
    ];
    expect(violations([...imports, ...planted])).toHaveLength(planted.length);
    const loop = [
      { from: 'report/a.ts', to: 'report/b.ts', local: true, line: 1 },
      { from: 'report/b.ts', to: 'report/a.ts', local: true, line: 1 },
    ];
    expect(circles([...imports, ...loop])).toEqual([['report/a.ts', 'report/b.ts']]);
  });
});
