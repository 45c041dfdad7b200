import { XMLParser, XMLValidator as deprecatedValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { renderJobSummary } from '../../src/render/job-summary.js';
import { renderJunit } from '../../src/render/junit.js';
import type { Report } from '../../src/report/report-types.js';
import { stormedReport } from '../helpers/storms-report.js';

// Issue 30: each reconnect storm's recovery in JUnit and the job summary, a case or a row a storm, failed by the one
// rule (verdict/storm-verdict.ts); a run without storms renders exactly as it did.

// fast-xml-validator (its successor) is not a dependency; the validator still works in fast-xml-parser 5.
// eslint-disable-next-line @typescript-eslint/no-deprecated
const XMLValidator = deprecatedValidator;

const withoutStorms = (report: Report): Report => {
  const { storms: _, ...rest } = report;
  return rest;
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

  it('a suite of storms: a case per storm named by its time, failed when not all recovered, skipped when not run', () => {
    const doc = parse(renderJunit(stormedReport(), []));
    expect(doc.testsuites.testsuite.map((s) => s.name)).toEqual(['camera-load thresholds', 'camera-load streams', 'camera-load storms']);
    expect(doc.testsuites.tests).toBe(String(0 + 12 + 3));
    expect(doc.testsuites.failures).toBe('1');
    const suite = doc.testsuites.testsuite[2];
    expect([suite?.tests, suite?.failures, suite?.skipped]).toEqual(['3', '1', '1']);
    const cases = suite?.testcase ?? [];
    // The time: until all were back (storm 1), until the run's end (storm 2: 5.037 − 3), none (not run).
    expect(cases.map((c) => [c.name, c.classname, c.time])).toEqual([
      ['storm 1 at 1 s', 'camera-load.storms', '0.512'],
      ['storm 2 at 3 s', 'camera-load.storms', '2.037'],
      ['storm 3 at 6 s', 'camera-load.storms', '0.000'],
    ]);
    expect(cases.map((c) => c.failure?.message ?? null)).toEqual([null, '2 of 12 dropped viewers never had a frame again', null]);
    expect(cases[1]?.failure?.type).toBe('not-recovered');
    expect(cases[1]?.['system-out']?.split('\n')).toEqual([
      'mode: immediate',
      'viewers dropped: 12',
      'viewers recovered: 10',
      '95% recovered within (ms): never',
      'all recovered within (ms): never',
      'recovery p50 / max (ms): 31 / 1,204',
      'connection attempts: 17',
      'connections ended: HTTP_503 ×4, ECONNRESET ×1',
    ]);
    expect(cases[0]?.['system-out']?.split('\n').slice(0, 5)).toEqual([
      'mode: backoff',
      'viewers dropped: 12',
      'viewers recovered: 12',
      '95% recovered within (ms): 480',
      'all recovered within (ms): 512',
    ]);
    expect(cases[2]?.skipped?.message).toBe('not run: the run ended at 5.04 s, before the storm');
    expect(cases[2]?.['system-out']).toBeUndefined();
  });

  it('a code from the servers is plain, escaped text', () => {
    const report = stormedReport();
    const [first] = report.storms ?? [];
    if (first) first.errors = { '</system-out><x>\u0007': 2 };
    const xml = renderJunit(report, []);
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).not.toContain('<x>');
  });

  it('without storms: the suites of before, byte for byte', () => {
    const report = stormedReport();
    const plain = renderJunit(withoutStorms(report), []);
    expect(plain).not.toContain('storm');
    expect(
      renderJunit(report, [])
        .replace(/\n {2}<testsuite name="camera-load storms"[\s\S]*?<\/testsuite>/, '')
        .replace(/tests="15" failures="1"/, 'tests="12" failures="0"'),
    ).toBe(plain);
  });
});

describe('the job summary (Markdown)', () => {
  const table = (markdown: string): string[] => {
    const lines = markdown.split('\n');
    const header = lines.findIndex((line) => line.startsWith('| storm |'));
    return header === -1 ? [] : lines.slice(header, lines.indexOf('', header));
  };

  it('a table of the storms, a row each, with the figures named with their units and the result JUnit gives', () => {
    const rows = table(renderJobSummary(stormedReport(), []));
    expect(rows[0]).toBe(
      '| storm | at | mode | viewers dropped | viewers recovered | 95% recovered within (ms) | all recovered within (ms) | recovery p50 / max (ms) | ' +
        'connection attempts | connections ended | result |',
    );
    expect(rows[1]).toBe(`|${Array.from({ length: 11 }, () => '---').join('|')}|`);
    expect(rows.slice(2)).toEqual([
      '| 1 | 1 s | backoff | 12 | 12 | 480 | 512 | 260 / 512 | 12 | none | ✅ pass |',
      '| 2 | 3 s | immediate | 12 | 10 | never | never | 31 / 1,204 | 17 | HTTP_503 ×4, ECONNRESET ×1 | ❌ fail: 2 of 12 dropped viewers never had a frame again |',
      '| 3 | 6 s | backoff | — | — | — | — | — | — | — | not run |',
    ]);
  });

  it('a storm that found no stream open dropped nobody: n/a, not never, and it passes', () => {
    const report = stormedReport();
    const [first] = report.storms ?? [];
    if (first)
      Object.assign(first, {
        viewers: 0,
        recovered: 0,
        recovery95Ms: null,
        recoveryAllMs: null,
        recoveryMs: { count: 0, p50: 0, p95: 0, p99: 0, max: 0 },
        attempts: 0,
      });
    expect(table(renderJobSummary(report, []))[2]).toBe('| 1 | 1 s | backoff | 0 | 0 | n/a | n/a | n/a | 0 | none | ✅ pass |');
  });

  it('a code read back from a report is text, never Markdown', () => {
    const report = stormedReport();
    const [first] = report.storms ?? [];
    if (first) first.errors = { 'HTTP_5 | [x](http://e)': 1 };
    const row = table(renderJobSummary(report, []))[2] ?? '';
    expect(row.split(/(?<!\\)\|/)).toHaveLength(13);
    expect(row).toContain('\\[x\\](http://e)');
  });

  it('without storms: no table of storms, the rest as before', () => {
    const report = stormedReport();
    const plain = renderJobSummary(withoutStorms(report), []);
    expect(plain).not.toContain('| storm |');
    const lines = renderJobSummary(report, []).split('\n');
    const header = lines.findIndex((line) => line.startsWith('| storm |'));
    lines.splice(header - 1, 6);
    expect(lines.join('\n')).toBe(plain);
  });
});
