import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { INPUT_LIMITS } from '../../src/input-limits.js';
import { asShardReport, reportProblem } from '../../src/report/merge-input.js';
import { schemaErrors } from '../helpers/report-schema.js';

// The report's shape is written down twice: the JSON schema (for readers of the file) and the checks a report
// read back passes (report/merge-input.ts, report-shape.ts: for `merge` and `report`). The checks hold only what a
// reader relies on, so they may ask for less than the schema does; what they refuse, the schema must refuse too.
// (What a merge adds beyond the shape, a plan fingerprint and 1 <= index <= count, is merge's own rule.) A real shard report (a run against the simulated fleet with
// drops, lag and repeats) is mutated at random paths to hold both to that.

const REPORT: unknown = JSON.parse(readFileSync(new URL('../fixtures/report-files/shard-run.json', import.meta.url), 'utf8'));
const RUNS = Number(process.env.FUZZ_RUNS ?? 300);

type Path = (string | number)[];

/** Every path to a value in `value`, objects and arrays included. */
function paths(value: unknown, prefix: Path = []): Path[] {
  if (value === null || typeof value !== 'object') return [prefix];
  const children = Array.isArray(value) ? value.map((item, i) => [i, item] as const) : Object.entries(value);
  return [prefix, ...children.flatMap(([key, item]) => paths(item, [...prefix, key]))];
}

type Mutation = { kind: 'delete' } | { kind: 'set'; value: unknown };

function mutated(report: unknown, path: Path, mutation: Mutation): unknown {
  const copy = structuredClone(report) as Record<string | number, unknown>;
  const parent = path.slice(0, -1).reduce<Record<string | number, unknown>>((at, key) => at[key] as Record<string | number, unknown>, copy);
  const key = path.at(-1);
  if (key === undefined) return mutation.kind === 'delete' ? undefined : mutation.value;
  if (mutation.kind === 'delete') {
    if (Array.isArray(parent)) parent.splice(Number(key), 1);
    else Reflect.deleteProperty(parent, key);
  } else parent[key] = mutation.value;
  return copy;
}

const ALL_PATHS = paths(REPORT);
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.constant<Mutation>({ kind: 'delete' }),
  fc
    .constantFrom<unknown>(
      null,
      'x',
      '',
      'x'.repeat(300_000),
      -1,
      0,
      1.5,
      -0.5,
      1e300,
      Number.MAX_SAFE_INTEGER + 2,
      true,
      [],
      {},
      [1],
      { a: 1 },
      { A: -1 },
      '2026-13-45',
    )
    .map((value): Mutation => ({ kind: 'set', value })),
);

describe("the schema and the read-back checks agree on a report's shape", () => {
  it('the fixture is a report both accept', () => {
    expect(schemaErrors(REPORT)).toBe('');
    expect(reportProblem(REPORT, 'run')).toBeUndefined();
    expect(() => asShardReport(REPORT, 'shard-run.json')).not.toThrow();
  });

  it('what the read-back checks refuse, the schema refuses too', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ALL_PATHS), mutation, (path, change) => {
        const report = mutated(REPORT, path, change);
        const refused = reportProblem(report, 'run');
        if (refused !== undefined)
          expect(schemaErrors(report), `${path.join('.')} → ${JSON.stringify(change).slice(0, 60)}: ${refused.slice(0, 200)}`).not.toBe('');
      }),
      { numRuns: RUNS },
    );
  });

  it("the schema's bounds are the input limits the checks apply", () => {
    const schema = JSON.parse(readFileSync(new URL('../../schema/report.schema.json', import.meta.url), 'utf8')) as {
      definitions: Record<string, { maxLength?: number; maxProperties?: number }>;
    };
    expect(schema.definitions.text?.maxLength).toBe(INPUT_LIMITS.textChars);
    expect(schema.definitions.encodedHistogram?.maxLength).toBe(INPUT_LIMITS.encodedHistogramChars);
    expect(schema.definitions.errorsByCode?.maxProperties).toBe(INPUT_LIMITS.errorCodes);
  });
});
