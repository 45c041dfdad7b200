import { deflateSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { reportEncodingsProblem } from '../../src/files/report-encodings.js';
import { INPUT_LIMITS } from '../../src/input-limits.js';
import { MAX_STAGES } from '../../src/options/stage-options.js';
import { CameraLoadError } from '../../src/errors.js';
import { asShardReport, reportProblem } from '../../src/report/merge-input.js';
import { mergeReports } from '../../src/report/merge-reports.js';
import type { Report } from '../../src/report/report-types.js';
import { schemaErrors } from '../helpers/report-schema.js';
import { stagedReport } from '../helpers/staged-report.js';

// A report of a run with --stages: its stage table and each stream's stages are in the schema, and a file read
// back (merge, report) is checked field by field there too, so that a hand-edited stage gives one line naming it.

const copy = (): Record<string, unknown> => JSON.parse(JSON.stringify(stagedReport({ shard: { index: 1, count: 2 } }))) as Record<string, unknown>;

type Path = (string | number)[];

function paths(value: unknown, prefix: Path = []): Path[] {
  if (value === null || typeof value !== 'object') return [prefix];
  const children = Array.isArray(value) ? value.map((item, i) => [i, item] as const) : Object.entries(value);
  return [prefix, ...children.flatMap(([key, item]) => paths(item, [...prefix, key]))];
}

function edited(path: Path, value: unknown): Record<string, unknown> {
  const report = copy();
  const parent = path.slice(0, -1).reduce<Record<string | number, unknown>>((at, key) => at[key] as Record<string | number, unknown>, report);
  const key = path.at(-1) as string | number;
  if (value === undefined) {
    if (Array.isArray(parent)) parent.splice(Number(key), 1);
    else Reflect.deleteProperty(parent, key);
  } else Object.defineProperty(parent, key, { value, enumerable: true, writable: true, configurable: true });
  return report;
}

const BASE = copy();
const STAGE_PATHS = [
  ...paths(BASE.stages, ['stages']),
  ...(BASE.streams as unknown[]).flatMap((s, i) => paths((s as { stages: unknown }).stages, ['streams', i, 'stages'])),
];

describe('a staged report: schema and read-back checks', () => {
  it('a whole run and a shard both fit the schema and are read back', () => {
    for (const report of [stagedReport(), stagedReport({ shard: { index: 2, count: 2 } })]) {
      expect(report.stages).toHaveLength(4);
      expect(schemaErrors(report)).toBe('');
      expect(reportProblem(JSON.parse(JSON.stringify(report)), 'run')).toBeUndefined();
      expect(() => asShardReport(JSON.parse(JSON.stringify(report)), 'shard.json')).not.toThrow();
      expect(reportEncodingsProblem(report)).toBeUndefined();
    }
  });

  it('what the read-back checks refuse in a stage, the schema refuses too', () => {
    const values = [null, 'x', '', -1, 0, 1.5, 1e300, Number.MAX_SAFE_INTEGER + 2, true, [], {}, [1], { A: -1 }, undefined];
    fc.assert(
      fc.property(fc.constantFrom(...STAGE_PATHS), fc.constantFrom(...values), (path, value) => {
        const report = edited(path, value);
        const refused = reportProblem(report, 'run');
        if (refused !== undefined) expect(schemaErrors(report), `${path.join('.')} = ${JSON.stringify(value)}: ${refused}`).not.toBe('');
      }),
      { numRuns: 400, seed: 30 },
    );
  });

  it('a stage edited any way is refused by name or merged: never an internal error', () => {
    const values: unknown[] = [
      null,
      'x',
      '',
      -1,
      0,
      0.5,
      1e308,
      2 ** 53 + 1,
      true,
      [],
      {},
      [null],
      JSON.parse('{"__proto__": 5, "HTTP_503": 1}') as unknown,
      '%%%',
      undefined,
    ];
    fc.assert(
      fc.property(fc.constantFrom(...STAGE_PATHS), fc.constantFrom(...values), (path, value) => {
        const other = copy();
        other.shard = { index: 2, count: 2 };
        try {
          const reports = [edited(path, value), other].map((r, i) => asShardReport(JSON.parse(JSON.stringify(r)), `shard-${i + 1}.json`));
          const problem = reports.map(reportEncodingsProblem).find((p) => p !== undefined);
          if (problem === undefined) mergeReports(reports);
        } catch (error) {
          if (!(error instanceof CameraLoadError)) throw new Error(`${path.join('.')} = ${JSON.stringify(value)}: ${String(error)}`, { cause: error });
          expect(error.code).toMatch(/^ERR_MERGE_/);
        }
      }),
      { numRuns: 400, seed: 31 },
    );
  });

  it.each<[string, Path, unknown, RegExp]>([
    ['a stage that is not an object', ['stages', 1], 'x', /^shard\.json: stage 2 is not an object \(ERR_MERGE_NOT_A_REPORT\)$/],
    ['a count that is not one', ['stages', 0, 'arrivals'], -1, /stage 1 lacks a count \(stage, arrivals, departures/],
    ['a target that is not one', ['stages', 2, 'target'], { from: 1 }, /stage 3 has a target that is not \{from, to\} counts/],
    ['fps that are not figures', ['stages', 0, 'fpsPerStream'], { streams: 1 }, /stage 1 has an fpsPerStream that is not \{streams, p5, p50, mean\} or null/],
    ['a histogram that is not text', ['stages', 1, 'frameGapHistogram'], 5, /stage 2 has no frameGapHistogram/],
    ['an empty histogram beside a count', ['stages', 1, 'frameGapHistogram'], '', /stage 2 its frameGapHistogram is empty beside a count/],
    [
      'an error code that is an object key',
      ['stages', 0, 'errors'],
      JSON.parse('{"__proto__": 1}'),
      /stage 1 its errors has "__proto__", which is not an error code/,
    ],
    ['a stage table that is not a list', ['stages'], {}, /its stages are not a list of 1 to 100/],
    ['an empty stage table', ['stages'], [], /its stages are not a list of 1 to 100/],
    [
      'a stream stage that is not one',
      ['streams', 0, 'stages', 1],
      { frames: 1.5, seconds: 1 },
      /stream 0 has a stage that is not \{frames, seconds\} or null/,
    ],
    ['stream stages that are not a list', ['streams', 0, 'stages'], 'x', /stream 0 has stages that are not a list of at most 100/],
    // The merge's own rules, which a schema cannot say.
    ['stages out of order', ['stages', 1, 'stage'], 3, /its stage 2 is numbered 3: stages are numbered 1, 2, … in order/],
    [
      'a stage ending before it begins',
      ['stages', 1, 'toSeconds'],
      1,
      /its stage 2 runs from 2 s to 1 s: a stage ends after it begins, where the next one begins/,
    ],
    ['a stream with fewer stages than the table', ['streams', 1, 'stages', 3], undefined, /its stream 1 has 3 stages where the report has 4/],
    ['stream stages without a table', ['stages'], undefined, /its streams have stages but it has no stage table/],
  ])('%s: one line naming it', (_, path, value, message) => {
    const report = edited(path, value);
    expect(() => asShardReport(report, 'shard.json')).toThrow(message);
    expect(() => asShardReport(report, 'shard.json')).not.toThrow(/\n/);
  });

  it('more stages than --stages takes is refused, by the checks and the schema alike', () => {
    const report = copy();
    const stages = report.stages as unknown[];
    report.stages = Array.from({ length: INPUT_LIMITS.stages + 1 }, (_, i) => ({ ...(stages[0] as object), stage: i + 1 }));
    expect(reportProblem(report, 'run')).toBe('its stages are not a list of 1 to 100');
    expect(schemaErrors(report)).not.toBe('');
  });

  it('a deflate bomb in a stage histogram is refused before a merge decodes it', () => {
    const zlib = deflateSync(Buffer.alloc(4 * 1024 * 1024));
    const head = Buffer.alloc(8);
    head.writeInt32BE(0x1c849314, 0);
    head.writeInt32BE(zlib.length, 4);
    const report = stagedReport();
    (report.stages?.[2] as NonNullable<Report['stages']>[number]).delayHistogram = Buffer.concat([head, zlib]).toString('base64');
    expect(reportEncodingsProblem(report)).toMatch(/^stage 3's delayHistogram inflates past/);
  });

  it('the limit is what --stages takes, and the schema says the same', () => {
    const schema = JSON.parse(readFileSync(new URL('../../schema/report.schema.json', import.meta.url), 'utf8')) as {
      properties: { stages: { maxItems: number } };
    };
    expect(INPUT_LIMITS.stages).toBe(MAX_STAGES);
    expect(schema.properties.stages.maxItems).toBe(INPUT_LIMITS.stages);
  });
});
