import { deflateSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { reportEncodingsProblem } from '../../src/files/report-encodings.js';
import { INPUT_LIMITS } from '../../src/input-limits.js';
import { MAX_STORMS } from '../../src/options/storm-options.js';
import { CameraLoadError } from '../../src/errors.js';
import { asShardReport, reportProblem } from '../../src/report/merge-input.js';
import { mergeReports } from '../../src/report/merge-reports.js';
import type { StormReport } from '../../src/report/report-types.js';
import { schemaErrors } from '../helpers/report-schema.js';
import { stormedReport } from '../helpers/stormed-report.js';

// A report of a run with --storm-at: its storms and config.storms are in the schema, and a file read back (merge,
// report) is checked field by field there too, so that a hand-edited storm gives one line naming it.

const copy = (): Record<string, unknown> => JSON.parse(JSON.stringify(stormedReport({ shard: { index: 1, count: 2 } }))) as Record<string, unknown>;

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

const STORM_PATHS = paths(copy().storms, ['storms']);

describe('a stormed report: schema and read-back checks', () => {
  it('a whole run and a shard both fit the schema and are read back', () => {
    for (const report of [stormedReport(), stormedReport({ shard: { index: 2, count: 2 } })]) {
      expect(report.storms).toHaveLength(2);
      expect(report.config.storms).toEqual([
        { atSeconds: 2, immediate: false },
        { atSeconds: 4, immediate: true },
      ]);
      expect(schemaErrors(report)).toBe('');
      expect(reportProblem(JSON.parse(JSON.stringify(report)), 'run')).toBeUndefined();
      expect(() => asShardReport(JSON.parse(JSON.stringify(report)), 'shard.json')).not.toThrow();
      expect(reportEncodingsProblem(report)).toBeUndefined();
    }
  });

  it('a storm nobody recovered from, and one that never struck, fit the schema', () => {
    const report = stormedReport({
      stories: [
        [
          { open: true, failures: ['STALL'] },
          { open: false, failures: [] },
        ],
      ],
    });
    const [lost, empty] = report.storms as StormReport[];
    expect([lost?.recovered, lost?.recovery95Ms, lost?.recoveryHistogram, empty?.viewers, empty?.recoveryAllMs]).toEqual([0, null, '', 0, null]);
    (report.storms as StormReport[])[1] = { ...(empty as StormReport), struckAtSeconds: null };
    expect(schemaErrors(report)).toBe('');
    expect(reportProblem(JSON.parse(JSON.stringify(report)), 'run')).toBeUndefined();
  });

  it('what the read-back checks refuse in a storm, the schema refuses too', () => {
    const values = [null, 'x', '', -1, 0, 1.5, 1e300, Number.MAX_SAFE_INTEGER + 2, true, [], {}, [1], { A: -1 }, undefined];
    fc.assert(
      fc.property(fc.constantFrom(...STORM_PATHS), fc.constantFrom(...values), (path, value) => {
        const report = edited(path, value);
        const refused = reportProblem(report, 'run');
        if (refused !== undefined) expect(schemaErrors(report), `${path.join('.')} = ${JSON.stringify(value)}: ${refused}`).not.toBe('');
      }),
      { numRuns: 400, seed: 30 },
    );
  });

  it('a storm edited any way is refused by name or merged: never an internal error', () => {
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
      fc.property(fc.constantFrom(...STORM_PATHS), fc.constantFrom(...values), (path, value) => {
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
    ['a storm that is not an object', ['storms', 1], 'x', /^shard\.json: storm 2 is not an object \(ERR_MERGE_NOT_A_REPORT\)$/],
    ['a count that is not one', ['storms', 0, 'viewers'], -1, /storm 1 lacks a count \(storm, viewers, recovered, attempts\)/],
    ['a time that is not one', ['storms', 1, 'struckAtSeconds'], 'soon', /storm 2 has an atSeconds or struckAtSeconds that is not a time/],
    ['a mode that is not one', ['storms', 0, 'immediate'], 'yes', /storm 1 has an immediate that is not true or false/],
    ['a recovery that is not one', ['storms', 1, 'recoveryAllMs'], -5, /storm 2 has a recovery95Ms or recoveryAllMs that is not ms or null/],
    ['recovery figures that are not figures', ['storms', 0, 'recoveryMs'], { count: 1 }, /storm 1 its recoveryMs is not \{count, p50, p95, p99, max\}/],
    ['a histogram that is not text', ['storms', 1, 'recoveryHistogram'], 5, /storm 2 has no recoveryHistogram/],
    ['an empty histogram beside a count', ['storms', 0, 'recoveryHistogram'], '', /storm 1 its recoveryHistogram is empty beside a count/],
    [
      'an error code that is an object key',
      ['storms', 0, 'errors'],
      JSON.parse('{"__proto__": 1}'),
      /storm 1 its errors has "__proto__", which is not an error code/,
    ],
    ['storms that are not a list', ['storms'], {}, /its storms are not a list of 1 to 100/],
    ['no storms in the list', ['storms'], [], /its storms are not a list of 1 to 100/],
    // The merge's own rules, which a schema cannot say.
    ['storms out of order', ['storms', 1, 'storm'], 3, /its storm 2 is numbered 3: storms are numbered 1, 2, … in time order/],
    ['storms out of time order', ['storms', 1, 'atSeconds'], 1, /its storm 2 is at 1 s, not after storm 1 at 2 s: storms are in time order/],
    ['more recovered than dropped', ['storms', 0, 'recovered'], 9, /its storm 1 has 9 recovered \(2 recovery times\) of 2 viewers/],
  ])('%s: one line naming it', (_, path, value, message) => {
    const report = edited(path, value);
    expect(() => asShardReport(report, 'shard.json')).toThrow(message);
    expect(() => asShardReport(report, 'shard.json')).not.toThrow(/\n/);
  });

  it('more storms than --storm-at takes is refused, by the checks and the schema alike', () => {
    const report = copy();
    const storms = report.storms as StormReport[];
    report.storms = Array.from({ length: INPUT_LIMITS.storms + 1 }, (_, i) => ({ ...storms[0], storm: i + 1, atSeconds: i + 1 }));
    expect(reportProblem(report, 'run')).toBe('its storms are not a list of 1 to 100');
    expect(schemaErrors(report)).not.toBe('');
  });

  it('a deflate bomb in a recovery histogram is refused before a merge decodes it', () => {
    const zlib = deflateSync(Buffer.alloc(4 * 1024 * 1024));
    const head = Buffer.alloc(8);
    head.writeInt32BE(0x1c849314, 0);
    head.writeInt32BE(zlib.length, 4);
    const report = stormedReport();
    (report.storms?.[1] as StormReport).recoveryHistogram = Buffer.concat([head, zlib]).toString('base64');
    expect(reportEncodingsProblem(report)).toMatch(/^storm 2's recoveryHistogram inflates past/);
  });

  it('the limit is what --storm-at takes, and the schema says the same', () => {
    const schema = JSON.parse(readFileSync(new URL('../../schema/report.schema.json', import.meta.url), 'utf8')) as {
      properties: { storms: { maxItems: number } };
    };
    expect(INPUT_LIMITS.storms).toBe(MAX_STORMS);
    expect(schema.properties.storms.maxItems).toBe(INPUT_LIMITS.storms);
  });
});
