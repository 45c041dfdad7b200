import { deflateSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CameraLoadError } from '../../src/errors.js';
import { renderHtmlReport } from '../../src/html/render-html.js';
import { INPUT_LIMITS } from '../../src/input-limits.js';
import { StreamStats } from '../../src/metrics/stream-stats.js';
import { renderSummary } from '../../src/render/summary.js';
import { renderReadBack } from '../../src/files/read-reports.js';
import { encodingProblem, reportEncodingsProblem } from '../../src/files/report-encodings.js';
import { groupedReport } from '../helpers/viewer-groups-report.js';
import { buildReport } from '../../src/report/build-report.js';
import { asShardReport, reportProblem } from '../../src/report/merge-input.js';
import { mergeReports } from '../../src/report/merge-reports.js';
import type { Report } from '../../src/report/report-types.js';
import { FAKE_ASSETS, mergedReport, olderRunReport, runReport } from './html/pages.js';

// Report files handed to `merge` and `report` are untrusted: a shard from another run, a colleague's file, one a
// script edited. Valid reports mutated field by field (types swapped, huge and tiny numbers, prototype keys,
// compressed payloads) are either refused by name (a CameraLoadError with a code, exit 2) or read, rendered and
// merged: never an internal error, never a key on a prototype. Fixed seed in CI; FUZZ_RUNS=20000 locally for more.

function fresh(): Report {
  const streams = [0, 1, 2].map((i) => {
    const s = new StreamStats(i, String(100 + i), `Camera ${i}`, `http://cam/${i}`);
    s.scheduled(10 * i);
    s.attemptStarted(10 * i + 1);
    s.attemptStarted(10 * i + 1);
    s.requestSent(10 * i + 2);
    s.responseStarted(10 * i + 5, 200);
    s.connectionOpened(10 * i + 5);
    for (let t = 20; t < 3_000; t += 200) s.frame(1_000, t + i, false, 40 + (t % 7));
    s.error('ECONNRESET', 'reset', 1_500);
    return s;
  });
  return buildReport({
    version: 'fuzz',
    config: { connectConcurrency: 100 },
    cameras: { listed: 3, active: 3, skipped: 0 },
    streamsRequested: 3,
    streamsPerCamera: 1,
    targetDurationMs: 3_000,
    outcome: { startedAt: new Date(0), endedAt: new Date(3_000), elapsedMs: 3_000, interrupted: false, streams, timeline: [], system: [] },
    shard: { index: 1, count: 1 },
    planFingerprint: 'f'.repeat(64),
  });
}

const BASES: (() => unknown)[] = [
  () => JSON.parse(JSON.stringify(fresh())) as unknown,
  runReport,
  olderRunReport,
  () => ({ ...mergedReport(), shards: undefined }),
];

/** Every path to a value inside `value`, bounded: arrays contribute their first two items. */
function paths(value: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (out.length > 4_000) return out;
  if (Array.isArray(value))
    value.slice(0, 2).forEach((item, i) => {
      out.push([...prefix, i]);
      paths(item, [...prefix, i], out);
    });
  else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      out.push([...prefix, key]);
      paths(item, [...prefix, key], out);
    }
  }
  return out;
}

const BOMB = (() => {
  const zlib = deflateSync(Buffer.alloc(4 * 1024 * 1024));
  const head = Buffer.alloc(8);
  head.writeInt32BE(0x1c849314, 0);
  head.writeInt32BE(zlib.length, 4);
  return Buffer.concat([head, zlib]).toString('base64');
})();

const replacement = fc.constantFrom<unknown>(
  null,
  -1,
  0,
  1e308,
  -1e308,
  2 ** 53 + 1,
  0.5,
  'text',
  '',
  true,
  [],
  {},
  [null],
  { constructor: 3, toString: 2 },
  JSON.parse('{"__proto__": 5, "HTTP_503": 1}'),
  'x'.repeat(20_000),
  BOMB,
  '%%%not base64%%%',
  undefined,
);

function set(root: unknown, path: readonly (string | number)[], value: unknown): void {
  let at = root as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
  const last = path.at(-1) as string | number;
  // defineProperty and deleteProperty: a key such as __proto__ is set as the file would hold it, never on a prototype.
  if (value === undefined) Reflect.deleteProperty(at, last);
  else Object.defineProperty(at, last, { value, enumerable: true, writable: true, configurable: true });
}

/** What `merge` and `report` do with a file, after its checks. */
function useAsUsersDo(value: unknown): void {
  const problem = reportProblem(value, 'run') ?? reportEncodingsProblem(value as Report);
  if (problem !== undefined) return;
  const report = value as Report;
  const summary = renderReadBack('fuzz.json', () => renderSummary(report));
  expect(summary).not.toMatch(/function Object|\[native code\]/);
  renderReadBack('fuzz.json', () => renderHtmlReport(report, FAKE_ASSETS));
  if (typeof report.planFingerprint === 'string' && report.shards === undefined) {
    const merged = mergeReports([asShardReport(value, 'fuzz.json')]);
    expect(Object.getPrototypeOf(merged.summary.errors)).toBe(Object.prototype);
    for (const n of Object.values(merged.summary.errors)) expect(Number.isSafeInteger(n)).toBe(true);
  }
}

describe('report files from elsewhere, mutated field by field', () => {
  it('are refused by name or used: never an internal error', () => {
    const runs = Number(process.env.FUZZ_RUNS ?? 300);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: BASES.length - 1 }), fc.nat(), replacement, (base, pick, value) => {
        const file = (BASES[base] as () => unknown)();
        const all = paths(file);
        const path = all[pick % all.length] as (string | number)[];
        set(file, path, value);
        try {
          useAsUsersDo(JSON.parse(JSON.stringify(file)));
        } catch (error) {
          if (!(error instanceof CameraLoadError))
            throw new Error(`${path.join('.')} = ${(JSON.stringify(value) as string | undefined)?.slice(0, 60) ?? 'undefined'}: ${String(error)}`, {
              cause: error,
            });
          expect(error.code).toMatch(/^ERR_/);
        }
      }),
      { numRuns: runs, seed: 26 },
    );
  });

  it('a deflate bomb inside a histogram is refused before it inflates; the ones camera-load writes pass', () => {
    expect(encodingProblem(BOMB)).toBe(`inflates past ${INPUT_LIMITS.inflatedHistogramBytes.toLocaleString('en-US')} bytes`);
    const report = fresh();
    expect(reportEncodingsProblem(report)).toBeUndefined();
    expect(reportEncodingsProblem(runReport())).toBeUndefined();
    const stream = report.streams[1];
    if (stream) stream.frameGapHistogram = BOMB;
    expect(reportEncodingsProblem(report)).toMatch(/^stream 1's frameGapHistogram inflates past/);
  });

  it("a deflate bomb in the normal viewers' isolation windows is refused too: a merge adds them", () => {
    const NO_FIGURES = { count: 0, p50: 0, p95: 0, p99: 0, max: 0 };
    const report = groupedReport();
    const normal = report.viewerGroups?.find((g) => g.group === 'normal');
    if (!normal) throw new Error('no normal group');
    const window = {
      fromSeconds: 0,
      toSeconds: 5,
      streams: 4,
      fpsPerStream: null,
      frameGapMs: NO_FIGURES,
      frameGapHistogram: '',
      delayMs: NO_FIGURES,
      delayHistogram: '',
    };
    normal.isolation = {
      leadIn: window,
      after: { ...window, delayHistogram: BOMB },
      fpsChangePct: null,
      gapChangeMs: null,
      delayChangeMs: null,
      holds: null,
      verdict: '',
    };
    expect(reportEncodingsProblem(report)).toMatch(/^viewer group normal's isolation\.after\.delayHistogram inflates past/);
  });

  it("error codes that are an object's own keys are refused, not summed into its prototype", () => {
    const report = JSON.parse(JSON.stringify(fresh())) as Report;
    const stream = report.streams[0];
    if (stream) stream.errors = JSON.parse('{"constructor": 3, "__proto__": 4}') as Record<string, number>;
    expect(reportProblem(report, 'run')).toMatch(/stream 0 its errors has "constructor", which is not an error code/);
  });

  it('a shard count past the limit, and shards that ran a day apart, are refused by name', () => {
    const tooMany = { ...fresh(), shard: { index: 1, count: 100_000_000 } };
    expect(reportProblem(tooMany, 'run')).toBeUndefined();
    expect(() => asShardReport(tooMany, 'many.json')).toThrow(/many\.json: its shard count 100000000 is over 10,000/);
    const a = { ...fresh(), shard: { index: 1, count: 2 } };
    const b = { ...fresh(), shard: { index: 2, count: 2 }, startedAt: new Date(86_400_000).toISOString(), endedAt: new Date(86_403_000).toISOString() };
    expect(() => mergeReports([a, b], { names: ['a.json', 'b.json'] })).toThrow(
      /b\.json started 24\.0 h after another shard had ended.*ERR_MERGE_DIFFERENT_TIMES/,
    );
  });
});
