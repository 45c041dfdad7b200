import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { jsonFile } from '../../src/files/json-text.js';
import { contentTexts, saveWithFallback, WRITE_TIMEOUT_MS } from '../../src/files/write-file.js';

// A report is written as it is made (pieces, src/files/json-text.ts): the file must still be whole or absent,
// each place tried gets the whole text, a text that cannot be made is not a disk's failure, and the time spent
// making it is not counted against the disk's time limit.

const dir = mkdtempSync(join(tmpdir(), 'camera-load-write-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

let folders = 0;
const folder = (): string => {
  const path = join(dir, String(++folders));
  mkdirSync(path);
  return path;
};

/** Blocks the thread for `ms`, as a long stringify would, without spinning. */
const block = (ms: number): void => {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
};

describe('writing a file made in pieces', () => {
  it('the text of every piece, in order, and nothing left beside it', async () => {
    const at = folder();
    const value = { streams: Array.from({ length: 3_000 }, (_, i) => ({ index: i, name: `Caméra ≥ ${i} 😀`, events: [] })) };
    const saved = await saveWithFallback(jsonFile(value, 2), join(at, 'r.json'), []);
    expect(saved).toEqual({ path: join(at, 'r.json'), failure: undefined });
    expect(readFileSync(join(at, 'r.json'), 'utf8')).toBe(`${JSON.stringify(value, null, 2)}\n`);
    expect(readdirSync(at)).toEqual(['r.json']);
  });

  it('a pair of surrogates where one text ends and the next begins stays one character', () => {
    // A maker of pieces may cut a pair itself (jsonPieces never does): 😀 is \ud83d\ude00.
    const pieces = [`${'a'.repeat((1 << 20) - 1)}\ud83d`, '\ude00', 'b', '\ud800'];
    const texts = [...contentTexts(() => pieces)];
    expect(texts.length).toBeGreaterThan(1);
    expect(Buffer.concat(texts.map((text) => Buffer.from(text, 'utf8'))).equals(Buffer.from(pieces.join(''), 'utf8'))).toBe(true);
  });

  it('each place tried is given the whole text, made again', async () => {
    const at = folder();
    // A folder where the file should be: the rename fails once the text is written.
    mkdirSync(join(at, 'taken.json'));
    let made = 0;
    const content = function* (): Generator<string> {
      made++;
      yield* ['{', '"a": 1', '}\n'];
    };
    const saved = await saveWithFallback(content, join(at, 'taken.json'), [join(at, 'fallback.json')]);
    expect(saved.path).toBe(join(at, 'fallback.json'));
    expect(saved.failure).toMatchObject({ code: expect.stringMatching(/^E/) as string });
    expect(made).toBe(2);
    expect(readFileSync(join(at, 'fallback.json'), 'utf8')).toBe('{"a": 1}\n');
    expect(readdirSync(at).sort()).toEqual(['fallback.json', 'taken.json']);
  });

  it('a text that cannot be made throws as JSON.stringify did: no place tried after it, nothing left behind', async () => {
    const at = folder();
    const value = { streams: [{ ok: 1 }, { bytes: 1n }] };
    await expect(saveWithFallback(jsonFile(value, 2), join(at, 'r.json'), [join(at, 'fallback.json')])).rejects.toThrow(TypeError);
    expect(readdirSync(at)).toEqual([]);
  });

  it('the time spent making the text is not the disk’s: a slow maker still writes where asked', async () => {
    const at = folder();
    const content = function* (): Generator<string> {
      yield '{';
      block(WRITE_TIMEOUT_MS + 200);
      yield '}\n';
    };
    expect(await saveWithFallback(content, join(at, 'r.json'), [])).toEqual({ path: join(at, 'r.json'), failure: undefined });
    expect(readFileSync(join(at, 'r.json'), 'utf8')).toBe('{}\n');
  });

  it('a string is written as it is', async () => {
    const at = folder();
    writeFileSync(join(at, 'old.json'), 'old');
    expect(await saveWithFallback('new ≥\n', join(at, 'old.json'), [])).toEqual({ path: join(at, 'old.json'), failure: undefined });
    expect(readFileSync(join(at, 'old.json'), 'utf8')).toBe('new ≥\n');
  });
});
