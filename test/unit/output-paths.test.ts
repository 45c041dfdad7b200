import fc from 'fast-check';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OutputError } from '../../src/errors.js';
import { assertNoConflict, describeOutputFailure, fallbackPaths, type OutputTarget } from '../../src/files/output-paths.js';
import { probeOutput } from '../../src/files/check-outputs.js';
import { ensureFolder, saveWithFallback } from '../../src/files/write-file.js';

const target = (flag: string, path: string, append = false): OutputTarget => ({ flag, path, append });

function thrown(fn: () => void): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('output paths (pure)', () => {
  it('two outputs on one file are a usage error with its own code; distinct files pass', () => {
    const error = thrown(() => {
      assertNoConflict([target('--output', '/a/r.json'), target('--log', '/a/r.log'), target('--junit', '/a/r.json')]);
    });
    expect(error).toBeInstanceOf(OutputError);
    expect(error).toMatchObject({ code: 'ERR_OUTPUT_CONFLICT', exitCode: 2 });
    expect(
      thrown(() => {
        assertNoConflict([target('--output', '/a/r.json'), target('--log', '/a/r.log')]);
      }),
    ).toBeUndefined();
  });

  it('any list with a repeated path conflicts, any list without does not', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('/a', '/b', '/c', '/d', '/e'), { maxLength: 5 }), (paths) => {
        const error = thrown(() => {
          assertNoConflict(paths.map((path, i) => target(`--flag${i}`, path)));
        });
        expect(error === undefined).toBe(new Set(paths).size === paths.length);
      }),
      { numRuns: 200 },
    );
  });

  it.each([
    ['/work/out/r.json', ['/work', '/tmp'], ['/work/default.json', '/tmp/default.json']],
    // The default name in the working folder is what failed: straight to the temporary folder.
    ['/work/default.json', ['/work', '/tmp'], ['/tmp/default.json']],
    // A deleted working folder is skipped; the same folder twice is tried once.
    ['/x/r.json', [undefined, '/tmp'], ['/tmp/default.json']],
    ['/x/r.json', ['/tmp', '/tmp'], ['/tmp/default.json']],
  ])('fallbacks for %s in %j', (failed, folders, expected) => {
    expect(fallbackPaths(failed, 'default.json', folders)).toEqual(expected);
  });

  it('failures read as the step and the system code', () => {
    expect(describeOutputFailure('folder', Object.assign(new Error('x'), { code: 'ENOENT' }))).toBe('cannot create the folder (ENOENT)');
    expect(describeOutputFailure('write', new Error('no code'))).toBe('cannot write in the folder (EIO)');
  });
});

describe('output probes and folders, on a real disk', () => {
  const dir = mkdtempSync(join(tmpdir(), 'camera-load-probe-'));
  const file = join(dir, 'a-file');
  writeFileSync(file, '');
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('ensureFolder creates a deep folder, accepts an existing one, and ends with a code where none can be made', async () => {
    await ensureFolder(join(dir, 'a', 'b', 'c'));
    expect(statSync(join(dir, 'a', 'b', 'c')).isDirectory()).toBe(true);
    await ensureFolder(join(dir, 'a', 'b'));
    await expect(ensureFolder(join(file, 'sub'))).rejects.toMatchObject({ code: 'ENOTDIR' });
    await expect(ensureFolder(file)).rejects.toMatchObject({ code: 'ENOTDIR' });
    // Node's own recursive mkdir never returns here.
    await expect(ensureFolder('/proc/camera-load-nope/deeper')).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('probeOutput: undefined when writable, ERR_OUTPUT_NOT_WRITABLE naming the flag and path when not, and no litter', async () => {
    expect(await probeOutput(target('--output', join(dir, 'new', 'r.json')))).toBeUndefined();
    expect(await probeOutput(target('--log', file, true))).toBeUndefined();
    const underFile = await probeOutput(target('--junit', join(file, 'j.xml')));
    expect(underFile).toMatchObject({ code: 'ERR_OUTPUT_NOT_WRITABLE', exitCode: 2 });
    expect(underFile?.message).toBe(`--junit ${join(file, 'j.xml')}: cannot create the folder (ENOTDIR)`);
    expect(await probeOutput(target('--output', dir))).toMatchObject({ code: 'ERR_OUTPUT_NOT_WRITABLE' });
    expect(await probeOutput(target('--output', '/dev/null'))).toMatchObject({ code: 'ERR_OUTPUT_NOT_WRITABLE' });
    expect(await probeOutput(target('--log', '/dev/null', true))).toBeUndefined();
    expect(readdirSync(join(dir, 'new'))).toEqual([]);
  });

  it('saveWithFallback: the asked path, else the first fallback that works, else none', async () => {
    const asked = join(dir, 'saved.json');
    expect(await saveWithFallback('{}', asked, [])).toEqual({ path: asked, failure: undefined });
    const moved = await saveWithFallback('{}', join(file, 'r.json'), [join(file, 'x.json'), join(dir, 'fallback.json')]);
    expect(moved.path).toBe(join(dir, 'fallback.json'));
    expect(moved.failure).toMatchObject({ code: 'ENOTDIR' });
    const lost = await saveWithFallback('{}', join(file, 'r.json'), [join(file, 'x.json')]);
    expect(lost.path).toBeUndefined();
  });
});
