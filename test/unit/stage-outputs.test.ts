import { XMLParser, XMLValidator as deprecatedValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { renderJobSummary } from '../../src/render/job-summary.js';
import { renderJunit } from '../../src/render/junit.js';
import type { Report } from '../../src/report/report-types.js';
import { stagedReport, stoppedAt } from '../helpers/stages-report.js';

// Issue 30: each stage's figures in JUnit and the job summary, a case or a row a stage, failed by the one rule
// (verdict/stage-verdict.ts); a run without stages renders exactly as it did.

// fast-xml-validator (its successor) is not a dependency; the validator still works in fast-xml-parser 5.
// eslint-disable-next-line @typescript-eslint/no-deprecated
const XMLValidator = deprecatedValidator;

const withoutStages = (report: Report): Report => {
  const { stages: _, ...rest } = report;
  return { ...rest, streams: rest.streams.map(({ stages: __, ...s }) => s) };
};

describe('JUnit', () => {
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => name === 'testcase' || name === 'testsuite' });
  interface Case {
    name: string;
    classname: string;
    time: string;
    'system-out'?: string;
    failure?: { message: string; type: string; '#text': string };
    skipped?: { message: string };
  }
  interface Doc {
    testsuites: {
      tests: string;
      failures: string;
      testsuite: { name: string; tests: string; failures: string; skipped: string; testcase: Case[] }[];
    };
  }
  const parse = (xml: string): Doc => {
    expect(XMLValidator.validate(xml)).toBe(true);
    return parser.parse(xml) as Doc;
  };

  it('a suite of stages: a case per stage named by its schedule, failed when no viewer had a frame', () => {
    const doc = parse(renderJunit(stagedReport(), []));
    expect(doc.testsuites.testsuite.map((s) => s.name)).toEqual(['camera-load thresholds', 'camera-load streams', 'camera-load stages']);
    expect(doc.testsuites.tests).toBe(String(0 + 12 + 4));
    expect(doc.testsuites.failures).toBe('1');
    const suite = doc.testsuites.testsuite[2];
    expect([suite?.tests, suite?.failures, suite?.skipped]).toEqual(['4', '1', '0']);
    const cases = suite?.testcase ?? [];
    expect(cases.map((c) => [c.name, c.classname, c.time])).toEqual([
      ['stage 1 (0–1 s): 0 → 12 streams', 'camera-load.stages', '1.000'],
      ['stage 2 (1–3 s): 12 streams held', 'camera-load.stages', '2.000'],
      ['stage 3 (3–4 s): 12 → 4 streams', 'camera-load.stages', '1.000'],
      ['stage 4 (4–5 s): 4 streams held', 'camera-load.stages', '1.000'],
    ]);
    expect(cases.map((c) => c.failure?.message ?? null)).toEqual([null, null, 'no viewer had a frame (0 of 12 open)', null]);
    expect(cases[2]?.failure?.type).toBe('no-frame');
    expect(cases[1]?.['system-out']?.split('\n')).toEqual([
      'open streams max / mean: 12 / 11.5',
      'arrivals / departures: 0 / 0',
      'viewers with a frame / open: 12 / 12',
      'fps per stream p5 / p50: 4.8 / 5.05',
      'time to first frame p95 (ms): n/a',
      'frame gap p95 (ms): 212',
      'queueing delay p95 (ms): 12',
      'reconnections: 3',
      "arrivals' client lateness p99 (ms): n/a",
      'connections ended: HTTP_503 ×2, ECONNRESET ×1',
    ]);
  });

  it('a stage the run ended before is skipped, and the time of one it ended in is the part it lasted', () => {
    const doc = parse(renderJunit(stoppedAt(stagedReport(), 3.5), []));
    const suite = doc.testsuites.testsuite[2];
    expect([suite?.tests, suite?.failures, suite?.skipped]).toEqual(['4', '1', '1']);
    const cases = suite?.testcase ?? [];
    expect(cases.map((c) => c.time)).toEqual(['1.000', '2.000', '0.500', '0.000']);
    expect(cases[3]?.skipped?.message).toBe('not run: the run ended at 3.5 s, before the stage began');
    expect(cases[3]?.['system-out']).toBeUndefined();
  });

  it('a code from the servers is plain, escaped text', () => {
    const report = stagedReport();
    const [first] = report.stages ?? [];
    if (first) first.errors = { '</system-out><x>\u0007': 2 };
    const xml = renderJunit(report, []);
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).not.toContain('<x>');
  });

  it('without stages: the suites of before, byte for byte', () => {
    const report = stagedReport();
    const plain = renderJunit(withoutStages(report), []);
    expect(plain).not.toContain('stages');
    expect(
      renderJunit(report, [])
        .replace(/\n {2}<testsuite name="camera-load stages"[\s\S]*?<\/testsuite>/, '')
        .replace(/tests="16" failures="1"/, 'tests="12" failures="0"'),
    ).toBe(plain);
  });
});

describe('the job summary (Markdown)', () => {
  const table = (markdown: string): string[] => {
    const lines = markdown.split('\n');
    const header = lines.findIndex((line) => line.startsWith('| stage |'));
    return header === -1 ? [] : lines.slice(header, lines.indexOf('', header));
  };

  it('a table of the stages, a row each, with the figures named with their units and the result JUnit gives', () => {
    const rows = table(renderJobSummary(stagedReport(), []));
    expect(rows[0]).toBe(
      '| stage | time | target (streams) | open streams max / mean | arrivals / departures | viewers with a frame / open | fps per stream p5 / p50 | ' +
        "time to first frame p95 (ms) | frame gap p95 (ms) | queueing delay p95 (ms) | reconnections | arrivals' client lateness p99 (ms) | connections ended | result |",
    );
    expect(rows[1]).toBe(`|${Array.from({ length: 14 }, () => '---').join('|')}|`);
    expect(rows.slice(2)).toEqual([
      '| 1 | 0–1 s | 0 → 12 | 12 / 12 | 12 / 0 | 12 / 12 | n/a | 41 | 212 | 12 | 0 | n/a | none | ✅ pass |',
      '| 2 | 1–3 s | 12 (held) | 12 / 11.5 | 0 / 0 | 12 / 12 | 4.8 / 5.05 | n/a | 212 | 12 | 3 | n/a | HTTP_503 ×2, ECONNRESET ×1 | ✅ pass |',
      '| 3 | 3–4 s | 12 → 4 | 12 / 11.5 | 0 / 8 | 0 / 12 | 0 / 0 | n/a | n/a | n/a | 0 | n/a | none | ❌ fail: no viewer had a frame (0 of 12 open) |',
      '| 4 | 4–5 s | 4 (held) | n/a | 0 / 0 | 4 / 4 | n/a | n/a | 212 | 12 | 0 | n/a | none | ✅ pass |',
    ]);
  });

  it('a stage the run ended before: its schedule, dashes, "not run"', () => {
    expect(table(renderJobSummary(stoppedAt(stagedReport(), 3.5), [])).at(-1)).toBe(
      '| 4 | 4–5 s | 4 (held) | — | — | — | — | — | — | — | — | — | — | not run |',
    );
  });

  it('a code read back from a report is text, never Markdown', () => {
    const report = stagedReport();
    const [first] = report.stages ?? [];
    if (first) first.errors = { 'HTTP_5 | [x](http://e)': 1 };
    const row = table(renderJobSummary(report, []))[2] ?? '';
    expect(row.split(/(?<!\\)\|/)).toHaveLength(16);
    expect(row).toContain('\\[x\\](http://e)');
  });

  it('without stages: no table of stages, the rest as before', () => {
    const report = stagedReport();
    const plain = renderJobSummary(withoutStages(report), []);
    expect(plain).not.toContain('| stage |');
    expect(renderJobSummary(report, []).replace(/\n\n\| stage \|[^\n]*(\n\|[^\n]*)*/, '')).toBe(plain);
  });
});
