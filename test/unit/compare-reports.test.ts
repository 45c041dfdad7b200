import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { compareReports, type CompareInput } from '../../src/compare/compare-reports.js';
import type { CompareLine, CompareResult } from '../../src/compare/compare-types.js';
import { UsageError } from '../../src/errors.js';
import type { Report } from '../../src/report/report-types.js';
import { stagedReport } from '../helpers/stages-report.js';
import { groupedReport } from '../helpers/viewer-groups-report.js';

// compareReports on a real report (12 streams of the simulator, 4 s) and copies of it changed on purpose.

const RUN = JSON.parse(readFileSync(new URL('../fixtures/compare/run.json', import.meta.url), 'utf8')) as Report;
const validate = new Ajv({ allErrors: true, strict: true }).compile(
  JSON.parse(readFileSync(new URL('../../schema/compare.schema.json', import.meta.url), 'utf8')) as object,
);

const copy = (report: Report = RUN): Report => structuredClone(report);
const fixture = (name: string): Report => JSON.parse(readFileSync(new URL(`../fixtures/html/${name}`, import.meta.url), 'utf8')) as Report;
const input = (base: Report, next: Report, more: Partial<CompareInput> = {}): CompareInput => ({
  base,
  next,
  files: { base: 'base.json', next: 'new.json' },
  allowDifferentPlans: false,
  version: '0.0.0-test',
  ...more,
});
const line = (result: CompareResult, figure: string): CompareLine => {
  const found = result.lines.find((l) => l.figure === figure && l.scope.viewers === undefined && l.scope.stage === undefined);
  if (found === undefined) throw new Error(`no line ${figure}`);
  return found;
};

/** Every stream's fps (and fresh fps) times `factor`, as a server that delivers that share of the frames would read. */
function scaledFps(factor: number): Report {
  const report = copy();
  for (const s of report.streams) {
    s.fps = s.fps === null ? null : s.fps * factor;
    s.freshness.freshFps = s.freshness.freshFps === null ? null : s.freshness.freshFps * factor;
  }
  return report;
}

describe('compare: two reports, figure by figure', () => {
  it('a report against itself is the same on every line, and the result follows its schema', () => {
    const result = compareReports(input(RUN, copy()));
    expect(result.verdict).toBe('same');
    expect(result.lines.filter((l) => l.verdict !== 'same').map((l) => `${l.figure}: ${l.verdict} ${l.reason ?? ''}`)).toEqual([]);
    expect(line(result, 'fps').samples).toEqual({ base: 12, new: 12 });
    expect(validate(result), JSON.stringify(validate.errors)).toBe(true);
  });

  it('fps 30% lower is worse, named, with an interval around the change; the figures it does not touch stay the same', () => {
    const result = compareReports(input(RUN, scaledFps(0.7)));
    expect(result.verdict).toBe('worse');
    const fps = line(result, 'fps');
    expect(fps.verdict).toBe('worse');
    expect(fps.relativeChange).toBeCloseTo(-0.3, 5);
    expect(fps.pValue).toBeLessThan(0.001);
    expect(fps.interval?.low).toBeLessThanOrEqual(fps.change ?? 0);
    expect(fps.interval?.high).toBeLessThan(0);
    expect(result.worse).toContain('fps per stream, median');
    expect(line(result, 'frameGap.p50').verdict).toBe('same');
    expect(line(result, 'reconnections').verdict).toBe('same');
  });

  it('fps 30% higher is better; a change within the noise threshold, or within one frame of a 4 s run, is the same however significant', () => {
    expect(line(compareReports(input(RUN, scaledFps(1.3))), 'fps').verdict).toBe('better');
    // 4% of 5 fps is 0.2 fps: at the 4% share, below one frame in 4 s (0.25 fps).
    const small = compareReports(input(RUN, scaledFps(1.04)));
    expect(line(small, 'fps').significant).toBe(true);
    expect(line(small, 'fps').threshold.absolute).toBeCloseTo(0.25, 2);
    expect(line(small, 'fps').verdict).toBe('same');
    expect(line(compareReports(input(RUN, scaledFps(1.08), { noise: 0.1 })), 'fps').verdict).toBe('same');
    expect(line(compareReports(input(RUN, scaledFps(1.08), { noise: 0.05 })), 'fps').verdict).toBe('better');
  });

  it('fps of report schema 1 is never compared with schema 2: those lines say why, the others are judged', () => {
    const old = copy();
    old.schemaVersion = 1;
    const result = compareReports(input(old, scaledFps(0.5)));
    expect(line(result, 'fps').verdict).toBe('not compared');
    expect(line(result, 'fps').reason).toMatch(/schema 1/);
    expect(line(result, 'frameGap.p50').verdict).toBe('same');
  });

  it('different plans are refused (ERR_COMPARE_PLANS) unless allowed, then named in the warnings', () => {
    const fewer = copy();
    fewer.streams = fewer.streams.slice(1);
    const refused = (): CompareResult => compareReports(input(RUN, fewer));
    expect(refused).toThrow(UsageError);
    expect(refused).toThrow(/BASE has 12 streams over 12 cameras, NEW 11 streams over 11 cameras \(11 cameras in both\).*ERR_COMPARE_PLANS/);
    expect(compareReports(input(RUN, fewer, { allowDifferentPlans: true })).warnings[0]).toMatch(/different plans/);
  });

  it('a saturated or interrupted side is a warning on every line', () => {
    const late = copy();
    late.summary.valid = false;
    late.summary.invalidReason = 'client CPU 98%';
    late.interrupted = true;
    const result = compareReports(input(RUN, late));
    expect(result.warnings).toEqual([
      expect.stringMatching(/^NEW: camera-load itself was saturated or late \(client CPU 98%\)/),
      expect.stringMatching(/^NEW: the run was interrupted/),
    ]);
    expect(result.lines.every((l) => l.warnings.length === 2)).toBe(true);
  });

  it('an error code either side had is a line of its own, per stream-hour', () => {
    const resets = copy();
    for (const s of resets.streams) s.errors = { ECONNRESET: 3 };
    const result = compareReports(input(RUN, resets));
    const resetLine = line(result, 'errors.ECONNRESET');
    expect(resetLine.base).toBe(0);
    expect(resetLine.new).toBeGreaterThan(2000);
    expect(resetLine.verdict).toBe('worse');
  });

  it('a run with stages is compared stage by stage too', () => {
    const staged = stagedReport();
    const result = compareReports(input(staged, structuredClone(staged)));
    expect(new Set(result.lines.flatMap((l) => (l.scope.stage === undefined ? [] : [l.scope.stage])))).toEqual(new Set([1, 2, 3, 4]));
    expect(result.verdict).toBe('same');
  });

  it('a merged report, a partial one and one written by an older version (schema 1) each read the same against themselves', () => {
    for (const name of ['merged-partial.json', 'run.json', 'run-without-codes.json']) {
      const result = compareReports(input(fixture(name), fixture(name)));
      expect(
        result.lines.filter((l) => l.verdict !== 'same' && l.verdict !== 'not compared').map((l) => l.figure),
        name,
      ).toEqual([]);
      expect(result.verdict, name).toBe('same');
    }
    expect(compareReports(input(fixture('merged-partial.json'), fixture('merged-partial.json'))).warnings).toEqual([
      'BASE: a partial merge, shards 3 missing',
      'NEW: a partial merge, shards 3 missing',
    ]);
  });

  it('each viewer group both runs had is compared on its own streams', () => {
    const grouped = groupedReport();
    const result = compareReports(input(grouped, structuredClone(grouped)));
    const groups = new Set(result.lines.map((l) => l.scope.viewers ?? 'all'));
    expect(groups).toEqual(new Set(['all', 'normal', 'slow', 'stuck']));
    const slowFps = result.lines.find((l) => l.figure === 'fps' && l.scope.viewers === 'slow');
    expect(slowFps?.samples).toEqual({ base: 2, new: 2 });
    expect(result.verdict).toBe('same');
  });
});
