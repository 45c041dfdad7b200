import { XMLParser, XMLValidator as deprecatedValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { renderJobSummary } from '../../src/render/job-summary.js';
import { renderJunit } from '../../src/render/junit.js';
import { renderSummary } from '../../src/render/summary.js';
import type { Report } from '../../src/report/report-types.js';
import { groupedReport, ungroupedReport } from '../helpers/viewer-groups-report.js';

// Issue 29: each viewer group's figures wherever a user looks. The text summary, JUnit and the job summary of a run
// with groups show a row (or a case) per group; a run without groups renders exactly as it did.

// fast-xml-validator (its successor) is not a dependency; the validator still works in fast-xml-parser 5.
// eslint-disable-next-line @typescript-eslint/no-deprecated
const XMLValidator = deprecatedValidator;

/** The report without its groups: what a run without groups renders, stream for stream. */
const withoutGroups = (report: Report): Report => {
  const { viewerGroups: _, ...rest } = report;
  return rest;
};

describe('the end-of-run summary', () => {
  const report = groupedReport();
  const text = renderSummary(report);
  const lines = text.split('\n');
  const at = lines.indexOf('VIEWER GROUPS (each group over its own streams)');
  const section = lines.slice(at, lines.indexOf('', at + 1));

  it('a table of the groups after the freshness figures, a row a group, normal first, units in the headers', () => {
    expect(at).toBeGreaterThan(lines.indexOf('FRESHNESS (how new the pictures were)'));
    expect(at).toBeLessThan(lines.indexOf('ASSESSMENT'));
    expect(section[1]).toMatch(/^ {2}group +streams +fps +fps +fresh fps +1st frame +frame gap +delay +repeated +reconnections$/);
    expect(section[2]).toMatch(/^ {8,}opened +p5 +p50 +p50 +p95 ms +p95 ms +p95 ms +frames$/);
    const rows = section.slice(3, 6).map((line) => line.trim().split(/ {2,}/));
    expect(rows.map((row) => row[0])).toEqual(['normal', 'slow', 'stuck']);
    // streams, fps p5, p50, fresh p50, first frame p95, gap p95, delay p95, repeated, reconnections
    expect(rows[0]?.slice(1)).toEqual(['4 of 4', '9.899', '9.899', '9.899', '100', '100', '20', '0', '0']);
    // The slow viewers' frames carried no capture time: their delay is n/a, not 0.
    expect(rows[1]?.slice(1)).toEqual(['2 of 2', '1.818', '1.818', '1.818', '100', '500', 'n/a', '0', '3']);
  });

  it('a line a group: its share, how it reads, from when, its fill time and the codes that ended its connections', () => {
    expect(section.slice(6)).toEqual([
      '  normal  62.5%  reads as fast as it can, from the start; connections ended: none',
      '  slow      25%  reads at most 1 Mbit/s, 125 kB/s, from 2.5 s, no fill time (the server felt 0 of 2); connections ended: HTTP_503 ×2, ECONNRESET ×1',
      '  stuck   12.5%  stops reading after its first frame, from 2.5 s, no fill time (the server felt 0 of 1); connections ended: none',
    ]);
  });

  it("a group's fill time on its line; the isolation verdict is the assessment's, said there once", () => {
    const [normal, slow] = report.viewerGroups ?? [];
    if (normal === undefined || slow === undefined) throw new Error('no groups');
    const isolation = {
      leadIn: normal.isolation?.leadIn,
      after: null,
      fpsChangePct: -1,
      gapChangeMs: 3,
      delayChangeMs: null,
      holds: true,
      verdict: 'the normal viewers were not hurt',
    };
    const felt: Report = {
      ...report,
      viewerGroups: [{ ...normal, isolation } as typeof normal, { ...slow, fill: { felt: 2, of: 2, p50Seconds: 1.25, maxSeconds: 3, skipsKnown: 0 } }],
    };
    const text = renderSummary(felt);
    expect(text).not.toContain('isolation: the normal viewers were not hurt');
    expect(text).toContain(', from 2.5 s, fill time 1.25 s (the server felt 2 of 2); connections ended:');
  });

  it('the table fits 100 columns', () => {
    for (const line of section.slice(0, 6)) expect(line.length, line).toBeLessThanOrEqual(100);
  });

  it('a group none of whose streams opened says n/a, not figures of nothing', () => {
    const slow = report.viewerGroups?.[1];
    if (slow === undefined) throw new Error('no slow group');
    const none: Report = {
      ...report,
      viewerGroups: [
        { ...slow, summary: { ...slow.summary, streamsOpened: 0, timeToFirstFrameMs: null, frameGapMs: { ...slow.summary.frameGapMs, count: 0 } } },
      ],
    };
    const row = renderSummary(none)
      .split('\n')
      .find((line) => line.startsWith('  slow ') && line.includes(' of '));
    expect(row?.trim().split(/ {2,}/)).toEqual(['slow', '0 of 2', 'n/a', 'n/a', 'n/a', 'n/a', 'n/a', 'n/a', '0', '3']);
  });

  it('lists at most four codes per group, counting the rest', () => {
    const slow = report.viewerGroups?.[1];
    if (slow === undefined) throw new Error('no slow group');
    const errors = { HTTP_503: 5, HTTP_502: 4, ECONNRESET: 3, STALL: 2, ENDED: 1, EPIPE: 1 };
    const many: Report = { ...report, viewerGroups: [{ ...slow, summary: { ...slow.summary, errors } }] };
    expect(renderSummary(many)).toContain('connections ended: HTTP_503 ×5, HTTP_502 ×4, ECONNRESET ×3, STALL ×2, … and 2 more codes');
  });

  it('without groups, exactly the summary of before: no section, every other line the same', () => {
    expect(renderSummary(ungroupedReport())).not.toContain('VIEWER GROUPS');
    const plain = renderSummary(withoutGroups(report));
    expect(plain).not.toContain('VIEWER GROUPS');
    expect([...lines.slice(0, at - 1), ...lines.slice(at + section.length)].join('\n')).toBe(plain);
  });
});

describe('JUnit', () => {
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => name === 'testcase' || name === 'testsuite' });
  interface Doc {
    testsuites: {
      tests: string;
      failures: string;
      testsuite: { name: string; tests: string; testcase: { name: string; classname: string; time: string; 'system-out'?: string }[] }[];
    };
  }

  it('with groups: a third suite, a passing case per group named "viewers: <group>", its figures as its output', () => {
    const xml = renderJunit(groupedReport(), [{ expression: 'fps.p5{viewers:slow}>=2', actual: 1.818, passed: false }]);
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = parser.parse(xml) as Doc;
    expect(doc.testsuites.testsuite.map((s) => s.name)).toEqual(['camera-load thresholds', 'camera-load streams', 'camera-load viewer groups']);
    expect(doc.testsuites.tests).toBe(String(1 + 7 + 3));
    expect(doc.testsuites.failures).toBe('1');
    const groups = doc.testsuites.testsuite[2]?.testcase ?? [];
    expect(groups.map((c) => [c.name, c.classname, c.time])).toEqual([
      ['viewers: normal', 'camera-load.viewers', '10.000'],
      ['viewers: slow', 'camera-load.viewers', '7.500'],
      ['viewers: stuck', 'camera-load.viewers', '7.500'],
    ]);
    expect(groups[1]?.['system-out']?.split('\n')).toEqual([
      '25% of the planned streams: reads at most 1 Mbit/s, 125 kB/s, from 2.5 s',
      'streams opened of planned: 2 of 2',
      'fps per stream p5: 1.818',
      'fps per stream p50: 1.818',
      'fresh fps per stream p50: 1.818',
      'time to first frame p95 (ms): 100',
      'frame gap p95 (ms): 500',
      'queueing delay p95 (ms): n/a',
      'repeated frames: 0',
      'reconnections: 3',
      'connections ended: HTTP_503 ×2, ECONNRESET ×1',
      'the server felt 0 of 2 viewers: no fill time (not half of them)',
    ]);
  });

  it('without groups: the two suites of before, byte for byte', () => {
    const report = groupedReport();
    const plain = renderJunit(withoutGroups(report), []);
    expect(plain).not.toContain('viewer groups');
    expect((parser.parse(plain) as Doc).testsuites.testsuite).toHaveLength(2);
    expect(
      renderJunit(report, [])
        .replace(/\n {2}<testsuite name="camera-load viewer groups"[\s\S]*?<\/testsuite>/, '')
        .replace(/tests="10"/, 'tests="7"'),
    ).toBe(plain);
  });
});

describe('the job summary (Markdown)', () => {
  it('with groups: a table of the groups, a row each, the figures named with their units', () => {
    const markdown = renderJobSummary(groupedReport(), []);
    const lines = markdown.split('\n');
    const header = lines.findIndex((line) => line.startsWith('| viewers |'));
    expect(lines[header]).toBe(
      '| viewers | how it reads | streams opened of planned | fps per stream p5 | fps per stream p50 | fresh fps per stream p50 | ' +
        'time to first frame p95 (ms) | frame gap p95 (ms) | queueing delay p95 (ms) | repeated frames | reconnections | connections ended | ' +
        'fill time, isolation |',
    );
    expect(lines[header + 1]).toBe(`|${Array.from({ length: 13 }, () => '---').join('|')}|`);
    expect(lines.slice(header + 2, header + 5)).toEqual([
      '| normal | reads as fast as it can, from the start (62.5% of the streams) | 4 of 4 | 9.899 | 9.899 | 9.899 | 100 | 100 | 20 | 0 | 0 | none |  |',
      '| slow | reads at most 1 Mbit/s, 125 kB/s, from 2.5 s (25% of the streams) | 2 of 2 | 1.818 | 1.818 | 1.818 | 100 | 500 | n/a | 0 | 3 | HTTP_503 ×2, ECONNRESET ×1 | the server felt 0 of 2 viewers: no fill time (not half of them) |',
      '| stuck | stops reading after its first frame, from 2.5 s (12.5% of the streams) | 1 of 1 | 2.424 | 2.424 | 2.424 | 100 | 100 | n/a | 0 | 0 | none | the server felt 0 of 1 viewers: no fill time (not half of them) |',
    ]);
  });

  it('a behaviour read back from a report is text, never Markdown', () => {
    const report = groupedReport();
    const [normal] = report.viewerGroups ?? [];
    if (normal === undefined) throw new Error('no normal group');
    const markdown = renderJobSummary({ ...report, viewerGroups: [{ ...normal, behaviour: 'reads | [x](http://e) **fast**' }] }, []);
    const row = markdown.split('\n').find((line) => line.startsWith('| normal |')) ?? '';
    expect(row.split(/(?<!\\)\|/)).toHaveLength(15);
    expect(row).toContain('\\[x\\](http://e) \\*\\*fast\\*\\*');
  });

  it('without groups: no table of groups, the rest as before', () => {
    const report = groupedReport();
    const plain = renderJobSummary(withoutGroups(report), []);
    expect(plain).not.toContain('| viewers |');
    expect(renderJobSummary(ungroupedReport(), [])).not.toContain('| viewers |');
    expect(renderJobSummary(report, []).replace(/\n\n\| viewers \|[^\n]*(\n\|[^\n]*)*/, '')).toBe(plain);
  });
});
