import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { compareMaxReports, type MaxCompareInput } from '../../src/compare/compare-max.js';
import type { MaxReport, TrialRecord } from '../../src/max/max-report.js';

// Two searches compared: the fixture's search held 9 streams and not 10 (trials 12 ✗, 6 ✓, 9 ✓, 10 ✗).

const MAX = JSON.parse(readFileSync(new URL('../fixtures/html/max.json', import.meta.url), 'utf8')) as MaxReport;
const validate = new Ajv({ allErrors: true, strict: true }).compile(
  JSON.parse(readFileSync(new URL('../../schema/compare.schema.json', import.meta.url), 'utf8')) as object,
);

/** The fixture's search, its trials at these levels judged stable (✓) or not. */
function search(levels: [number, boolean][]): MaxReport {
  const report = structuredClone(MAX);
  const template = report.trials[0] as TrialRecord;
  report.trials = levels.map(([level, stable], index) => ({
    ...structuredClone(template),
    index,
    level,
    verdict: { ...template.verdict, stable, reasons: stable ? [] : ['fps'] },
  }));
  const held = levels.filter(([, stable]) => stable).map(([level]) => level);
  report.result.maxStableStreams = held.length === 0 ? null : Math.max(...held);
  return report;
}

const input = (next: MaxReport, more: Partial<MaxCompareInput> = {}): MaxCompareInput => ({
  base: MAX,
  next,
  files: { base: 'base-max.json', next: 'new-max.json' },
  allowDifferentPlans: false,
  version: '0.0.0-test',
  ...more,
});

describe('compare: two max searches', () => {
  it('a search against itself is the same, and the result follows the schema', () => {
    const result = compareMaxReports(input(structuredClone(MAX)));
    expect(result.kind).toBe('max');
    expect(result.lines.map((l) => [l.figure, l.verdict, l.base, l.new])).toEqual([['maxStableStreams', 'same', 9, 9]]);
    expect(result.lines[0]?.method).toContain('BASE 9–9, NEW 9–9');
    expect(validate(result), JSON.stringify(validate.errors)).toBe(true);
  });

  it('a limit below a level the base held is worse; a level the base could not hold, better; overlapping brackets, the same', () => {
    const worse = compareMaxReports(
      input(
        search([
          [12, false],
          [6, true],
          [7, false],
        ]),
      ),
    );
    expect([worse.verdict, worse.lines[0]?.change, worse.lines[0]?.interval]).toEqual(['worse', -3, { low: -3, high: -3 }]);
    expect(compareMaxReports(input(search([[12, true]]))).verdict).toBe('better');
    expect(
      compareMaxReports(
        input(
          search([
            [12, false],
            [9, true],
            [11, false],
          ]),
        ),
      ).verdict,
    ).toBe('same');
  });

  it('searches for different things are refused unless allowed; a saturated side is a warning', () => {
    const longer = structuredClone(MAX);
    longer.config = { ...longer.config, trialSeconds: 60 };
    expect(() => compareMaxReports(input(longer))).toThrow(/the searches differ in trialSeconds.*ERR_COMPARE_PLANS/);
    expect(compareMaxReports(input(longer, { allowDifferentPlans: true })).warnings[0]).toMatch(/^different searches/);
    const bounded = structuredClone(MAX);
    bounded.result.boundedByClient = true;
    const result = compareMaxReports(input(bounded));
    expect(result.new.valid).toBe(false);
    expect(result.lines[0]?.warnings).toEqual(['NEW: the search stopped because camera-load itself saturated: its level is a lower bound']);
  });
});
