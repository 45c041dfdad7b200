import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonFile, jsonPieces } from '../../src/files/json-text.js';
import { StreamStats } from '../../src/metrics/stream-stats.js';
import { buildReport } from '../../src/report/build-report.js';
import type { Report } from '../../src/report/report-types.js';
import { maxReport, mergedReport, olderRunReport, runReport } from './html/pages.js';

// The report is written in pieces (src/files/json-text.ts) so that no whole copy of its JSON is held at the run's
// end; joined, the pieces must be `JSON.stringify(value, null, space)` to the byte, and fail where it fails.

type Outcome = { text: string } | { error: string };

function outcome(make: () => string): Outcome {
  try {
    return { text: make() };
  } catch (error) {
    return { error: (error as Error).constructor.name };
  }
}

const stringified = (value: unknown, space: number): Outcome =>
  outcome(() => {
    // undefined for undefined, a function or a symbol, whatever its declared type says.
    const text = JSON.stringify(value, null, space) as unknown;
    return typeof text === 'string' ? text : '';
  });
const pieced = (value: unknown, space: number): Outcome => outcome(() => [...jsonPieces(value, space)].join(''));

const SPACES = fc.constantFrom(0, 2, 1, 4, 10, 11, -1, 2.7);

/** Every kind of value JSON.stringify meets: boxed values, maps, dates, typed and sparse arrays, null prototypes, BigInts, any string. */
const ANYTHING = {
  maxDepth: 5,
  withBoxedValues: true,
  withMap: true,
  withSet: true,
  withObjectString: true,
  withNullPrototype: true,
  withBigInt: true,
  withDate: true,
  withTypedArray: true,
  withSparseArray: true,
  stringUnit: 'binary',
} as const;

/** A value to build: nested arrays and objects, values with a toJSON (that records the key it was called with), and leaves. */
type Recipe = { leaf: unknown } | { array: Recipe[] } | { object: [string, Recipe][] } | { toJson: Recipe };

const recipe = fc.letrec<{ node: Recipe; array: Recipe; object: Recipe; toJson: Recipe }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', maxDepth: 6 },
    fc.record({ leaf: fc.anything({ ...ANYTHING, maxDepth: 1 }) }),
    tie('array'),
    tie('object'),
    tie('toJson'),
  ),
  array: fc.record({ array: fc.array(tie('node'), { maxLength: 6 }) }),
  object: fc.record({ object: fc.array(fc.tuple(fc.constantFrom('a', 'b', '0', '1', '', 'toJSON', '__proto__', 'é≥'), tie('node')), { maxLength: 5 }) }),
  toJson: fc.record({ toJson: tie('node') }),
})).node;

function build(r: Recipe, calls: string[]): unknown {
  if ('leaf' in r) return r.leaf;
  if ('array' in r) return r.array.map((item) => build(item, calls));
  if ('object' in r) {
    const object: Record<string, unknown> = {};
    for (const [key, item] of r.object) Object.defineProperty(object, key, { value: build(item, calls), enumerable: true, writable: true, configurable: true });
    return object;
  }
  const inner = r.toJson;
  return {
    toJSON(key: string): unknown {
      calls.push(key);
      return build(inner, calls);
    },
  };
}

describe('jsonPieces: JSON.stringify in pieces', () => {
  it('joined, the same text as JSON.stringify for any value and indentation, or the same kind of error', () => {
    fc.assert(
      fc.property(fc.anything(ANYTHING), SPACES, (value, space) => {
        expect(pieced(value, space)).toEqual(stringified(value, space));
      }),
      { numRuns: 1_000 },
    );
  });

  it('toJSON is called with the keys JSON.stringify calls it with, in the same order, and what it gives is written the same', () => {
    fc.assert(
      fc.property(recipe, SPACES, (r, space) => {
        const [ours, theirs]: [string[], string[]] = [[], []];
        expect(pieced(build(r, ours), space)).toEqual(stringified(build(r, theirs), space));
        expect(ours).toEqual(theirs);
      }),
      { numRuns: 1_000 },
    );
  });

  it('long arrays, given to JSON.stringify a run of elements at a time, at every depth, with holes and toJSON', () => {
    const element = fc.oneof(
      fc.anything({ maxDepth: 2, stringUnit: 'binary' }).map((leaf): Recipe => ({ leaf })),
      fc.constantFrom<Recipe>({ leaf: undefined }, { leaf: () => 1 }, { toJson: { leaf: 'made' } }, { toJson: { leaf: undefined } }),
    );
    fc.assert(
      fc.property(fc.array(element, { maxLength: 700, size: 'max' }), fc.integer({ min: 0, max: 4 }), fc.boolean(), SPACES, (elements, depth, holes, space) => {
        const make = (calls: string[]): unknown => {
          const array: unknown[] = [];
          array.length = elements.length;
          // Every third element a hole, when asked.
          elements.forEach((e, i) => {
            if (!holes || i % 3 !== 0) array[i] = build(e, calls);
          });
          let value: unknown = array;
          for (let level = 0; level < depth; level++) value = level % 2 === 0 ? { streams: value, after: [1] } : [value, 'x'];
          return value;
        };
        const [ours, theirs]: [string[], string[]] = [[], []];
        expect(pieced(make(ours), space)).toEqual(stringified(make(theirs), space));
        expect(ours).toEqual(theirs);
      }),
      { numRuns: 150 },
    );
  });

  it('a cycle is refused as JSON.stringify refuses it', () => {
    const report: Record<string, unknown> = { streams: [] };
    (report.streams as unknown[]).push({ report });
    expect(pieced(report, 2)).toEqual({ error: 'TypeError' });
    const deep: Record<string, unknown> = { a: { b: {} } };
    ((deep.a as Record<string, Record<string, unknown>>).b as Record<string, unknown>).c = deep;
    expect(pieced(deep, 2)).toEqual({ error: 'TypeError' });
  });
});

/** A report of `names.length` streams, as a run builds it: names from anywhere, some streams with errors and events. */
function report(names: string[], reason: string): Report {
  const streams = names.map((name, i) => {
    const s = new StreamStats(i, String(100 + i), name, `http://cam/${i}?token=${name.length}`);
    s.scheduled(i);
    s.attemptStarted(i + 1);
    s.requestSent(i + 2);
    s.responseStarted(i + 5, 200);
    s.connectionOpened(i + 5);
    for (let t = 20; t < 1_000 + (i % 3) * 400; t += 100 + (i % 5)) s.frame(1_000 + i, t, i % 7 === 0, 40 + (t % 7));
    if (i % 4 === 1) s.error('ECONNRESET', reason, 500);
    return s;
  });
  return buildReport({
    version: 'json-text',
    config: { reason, connectConcurrency: 100 },
    cameras: { listed: names.length, active: names.length, skipped: 0 },
    streamsRequested: names.length,
    streamsPerCamera: 1,
    targetDurationMs: 2_000,
    outcome: { startedAt: new Date(0), endedAt: new Date(2_000), elapsedMs: 2_000, interrupted: false, streams, timeline: [], system: [] },
  });
}

const joined = (value: unknown, space: number): string => [...jsonFile(value, space)()].join('');

describe('jsonFile: a report file, byte for byte', () => {
  it('generated reports of 0 to 600 streams: JSON.stringify(report, null, 2) and a newline, and the one-line form', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: 'binary', maxLength: 12 }), { maxLength: 600, size: 'max' }),
        fc.constantFrom('reset', 'p95 ≥ 2000 ms', 'lone \ud800 surrogate', '"quoted"\n\u2028'),
        (names, reason) => {
          const value = report(names, reason);
          expect(joined(value, 2)).toBe(`${JSON.stringify(value, null, 2)}\n`);
          expect(joined(value, 0)).toBe(`${JSON.stringify(value)}\n`);
        },
      ),
      { numRuns: 25 },
    );
  });

  it.each([
    ['a run', runReport],
    ['an older run', olderRunReport],
    ['a partial merge', mergedReport],
    ['a max search', maxReport],
  ])('%s report, as its file', (_, read) => {
    const value = read();
    expect(joined(value, 2)).toBe(`${JSON.stringify(value, null, 2)}\n`);
    expect(joined(value, 0)).toBe(`${JSON.stringify(value)}\n`);
  });

  it('made anew each time it is read: a second attempt writes the same', () => {
    const make = jsonFile(runReport(), 2);
    expect([...make()].join('')).toBe([...make()].join(''));
  });
});
