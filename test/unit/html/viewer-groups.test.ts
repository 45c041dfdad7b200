import { describe, expect, it } from 'vitest';
import { renderHtmlReport } from '../../../src/html/render-html.js';
import type { Percentiles } from '../../../src/metrics/gap-histogram.js';
import type { FreshnessSummary, Report, ReportSummary, ViewerGroupReport } from '../../../src/report/report-types.js';
import type { ViewerGroup } from '../../../src/viewers.js';
import { FAKE_ASSETS, HOSTILE, olderRunReport, pageData, runReport, sectionHtml, visibleText } from './pages.js';

// Viewer groups (issue 29) on the page, from hand-made group figures on a real report: the section near the top,
// the camera table's column and filter, the lead-in's end for the charts; and a run without groups as it was.

const render = (report: Report): string => renderHtmlReport(report, FAKE_ASSETS);
const percentiles = (p50: number, p95: number, p99: number, max: number, count: number): Percentiles => ({ count, p50, p95, p99, max });

function freshness(over: Partial<FreshnessSummary> = {}): FreshnessSummary {
  return {
    timestampedStreams: 3,
    timestampedFrames: 300,
    invalidTimestamps: 0,
    delayMs: percentiles(10, 42, 60, 80, 300),
    ageMs: null,
    agesOutOfRange: 0,
    streamsWithGrowingDelay: 0,
    repeatedFrames: 0,
    streamsWithRepeats: 0,
    avgFreshFpsPerStream: 4.9,
    freshFpsPerStream: { min: 4.8, p5: 4.8, p50: 4.9, max: 5 },
    frozenEvents: 0,
    streamsFrozen: 0,
    ...over,
  };
}

/** A group's figures over its streams: the run's summary with the group's own counts and percentiles. */
function group(name: ViewerGroup, behaviour: string, share: number, beganAtSeconds: number, over: Partial<ReportSummary>): ViewerGroupReport {
  const run = runReport().summary;
  return { group: name, behaviour, share, beganAtSeconds, summary: { ...run, freshness: freshness(), ...over } };
}

const GROUP_OF = (index: number): ViewerGroup => (index % 4 === 1 ? 'slow' : index % 4 === 3 ? 'stuck' : 'normal');

/** 12 streams: 6 normal, 3 slow, 3 stuck; the groups began 1.25 s in. */
function groupsReport(): Report {
  const report = runReport();
  report.streams = report.streams.map((s) => ({ ...s, viewers: GROUP_OF(s.index) }));
  report.viewerGroups = [
    group('normal', 'reads as fast as it can', 0.5, 0, {
      streamsPlanned: 6,
      streamsOpened: 6,
      fpsPerStream: { min: 4.9, p5: 4.95, p50: 5.12, max: 5.3 },
      timeToFirstFrameMs: { p50: 40, p95: 51.5, max: 55 },
      frameGapMs: percentiles(200, 230, 240, 300, 120),
      totalReconnections: 0,
      errors: {},
    }),
    group('slow', 'reads at most 320 kbit/s (40 kB/s)', 0.25, 1.25, {
      streamsPlanned: 3,
      streamsOpened: 3,
      fpsPerStream: { min: 1.1, p5: 1.15, p50: 1.42, max: 1.6 },
      timeToFirstFrameMs: { p50: 44, p95: 56.6, max: 56.6 },
      frameGapMs: percentiles(600, 1_480, 1_900, 2_100, 40),
      totalReconnections: 2,
      errors: { ECONNRESET: 2, HTTP_503: 5 },
      freshness: freshness({ timestampedStreams: 0, timestampedFrames: 0, delayMs: percentiles(0, 0, 0, 0, 0), repeatedFrames: 7 }),
    }),
    group('stuck', 'stops reading after its first frame', 0.25, 1.25, {
      streamsPlanned: 3,
      streamsOpened: 2,
      fpsPerStream: { min: 0, p5: 0, p50: 0.8, max: 0.9 },
      timeToFirstFrameMs: null,
      frameGapMs: percentiles(0, 0, 0, 0, 0),
      totalReconnections: 0,
      errors: {},
    }),
  ];
  return report;
}

/** The rows of the section's table, each as its cells' text. */
function groupRows(page: string): string[][] {
  const table = sectionHtml(page, 'viewer-groups');
  const body = table.slice(table.indexOf('<tbody>'));
  return [...body.matchAll(/<tr[^>]*>(.*?)<\/tr>/g)].map((row) =>
    [...(row[1] ?? '').matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((cell) => visibleText(cell[1] ?? '').trim()),
  );
}

const groupHeaders = (page: string): string[] =>
  [...sectionHtml(page, 'viewer-groups').matchAll(/<th[^>]*>([^<]*)<\/th>/g)].map((m) => visibleText(m[1] ?? '').trim());

describe('renderHtmlReport: a run with viewer groups', () => {
  const report = groupsReport();
  const page = render(report);

  it("the slow groups' fill times and skipped frames, and the normal viewers' two windows with the isolation word", () => {
    const felt = groupsReport();
    const [normal, slow] = felt.viewerGroups ?? [];
    if (normal === undefined || slow === undefined) throw new Error('no groups');
    const window = (from: number, to: number, p5: number, gapP95: number) => ({
      fromSeconds: from,
      toSeconds: to,
      streams: 6,
      fpsPerStream: { p5, p50: p5 },
      frameGapMs: percentiles(200, gapP95, gapP95, gapP95, 50),
      frameGapHistogram: '',
      delayMs: percentiles(0, 0, 0, 0, 0),
      delayHistogram: '',
    });
    normal.isolation = {
      leadIn: window(0.6, 1.25, 5, 210),
      after: window(2.5, 10, 4.2, 400),
      fpsChangePct: -16,
      gapChangeMs: 190,
      delayChangeMs: null,
      holds: false,
      verdict: 'the normal viewers were hurt',
    };
    slow.fill = { felt: 3, of: 3, p50Seconds: 1.25, maxSeconds: 2, skipsKnown: 3 };
    slow.summary = { ...slow.summary, freshness: { ...slow.summary.freshness, skippedFrames: 42 } };
    const shown = render(felt);
    expect(groupRows(shown)[1]?.slice(10, 12)).toEqual(['42', '1.3 (3 of 3)']);
    const note = visibleText(sectionHtml(shown, 'viewer-groups'));
    expect(note).toContain('Normal viewers: hurt. lead-in (0.6–1.3 s): fps p5 5, frame gap p95 210 ms, queueing delay p95 no timestamps;');
    expect(note).toContain('from 2.5 s to the end: fps p5 4.2, frame gap p95 400 ms');
  });

  it('a Viewer groups section right after the key metrics, in the navigation too', () => {
    const at = (id: string): number => page.indexOf(`id="${id}"`);
    expect(at('viewer-groups')).toBeGreaterThan(at('key-metrics'));
    expect(at('viewer-groups')).toBeLessThan(at('details'));
    expect(page).toContain('<a href="#viewer-groups">Viewer groups</a>');
  });

  it('one row per group, normal first, every figure the issue asks for, with units in the headers', () => {
    expect(groupHeaders(page)).toEqual([
      'Group: how it reads',
      'Share (% planned)',
      'Streams opened / planned',
      'Began (s)',
      'Stream fps p5 / p50 (fps)',
      'Fresh fps p50 (fps)',
      'Time to first frame p95 (ms)',
      'Frame gap p95 (ms)',
      'Queueing delay p95 (ms)',
      'Repeated (frames)',
      'Skipped by the server (frames)',
      'Fill time (s; viewers felt)',
      'Reconnections (count)',
      'Connection ends (code ×count)',
    ]);
    expect(groupRows(page)).toEqual([
      ['normal reads as fast as it can', '50.0 %', '6 / 6', '0.0', '4.95 / 5.12', '4.9', '51.5', '230', '42', '0', 'cannot tell', '—', '0', 'none'],
      [
        'slow reads at most 320 kbit/s (40 kB/s)',
        '25.0 %',
        '3 / 3',
        '1.3',
        '1.15 / 1.42',
        '4.9',
        '56.6',
        '1,480',
        'no timestamps',
        '7',
        'cannot tell',
        '—',
        '2',
        'HTTP_503 ×5, ECONNRESET ×2',
      ],
      ['stuck stops reading after its first frame', '25.0 %', '2 / 3', '1.3', '0 / 0.8', '4.9', '—', '—', '42', '0', 'cannot tell', '—', '0', 'none'],
    ]);
  });

  it('says when the groups began and what the figures cover', () => {
    const text = visibleText(sectionHtml(page, 'viewer-groups'));
    expect(text).toContain('The groups began 1.3 s after the start');
    expect(text).toContain('lead-in included');
  });

  it('marks a group that did not open every stream, or reconnected, as the other tables do', () => {
    const rows = [...sectionHtml(page, 'viewer-groups').matchAll(/<tbody>.*<\/tbody>/g)][0]?.[0] ?? '';
    expect([...rows.matchAll(/<tr class="([^"]*)">/g)].map((m) => m[1])).toEqual(['', 'row-warn', 'row-bad']);
  });

  it('the camera table: a Viewers column after the camera, each row`s group as a badge', () => {
    const table = sectionHtml(page, 'cameras-section');
    const headers = [...table.matchAll(/<th data-sort="(\w+)"/g)].map((m) => m[1]);
    expect(headers.slice(0, 4)).toEqual(['index', 'cameraId', 'ordinal', 'viewers']);
    const rows = [...table.matchAll(/<tr class="[^"]*"><td class="num">(\d+)<\/td>.*?<span class="badge viewers viewers-(\w+)">(\w+)<\/span>/g)];
    expect(rows).toHaveLength(12);
    for (const [, index, cls, name] of rows) {
      expect([cls, name]).toEqual([GROUP_OF(Number(index)), GROUP_OF(Number(index))]);
    }
  });

  it('the camera table: a filter by group, every group of the run with its streams, enabled by the script', () => {
    const select = /<select id="camera-group"[^>]*>(.*?)<\/select>/.exec(sectionHtml(page, 'cameras-section'));
    expect(select?.[0]).toContain(' disabled>');
    expect([...(select?.[1] ?? '').matchAll(/<option value="(\w*)">([^<]*)<\/option>/g)].map((m) => [m[1], m[2]])).toEqual([
      ['', 'All viewer groups'],
      ['normal', 'normal (6 streams)'],
      ['slow', 'slow (3 streams)'],
      ['stuck', 'stuck (3 streams)'],
    ]);
  });

  it('embeds each row`s group beside the rows, and when the groups began for the charts', () => {
    const data = pageData(page);
    const { rows, columns, strings, viewers } = data.cameras;
    expect(viewers).toHaveLength(rows.length);
    rows.forEach((row, i) => {
      expect(strings[viewers?.[i] ?? -1]).toBe(GROUP_OF(row[columns.indexOf('index')] ?? -1));
    });
    expect(data.groupsBeganAt).toBe(1.25);
    expect(visibleText(sectionHtml(page, 'over-time'))).toContain('the dashed line at 1.3 s: the viewer groups began');
  });

  it('a group`s streams without any frame: dashes, not zeros, and still no error', () => {
    const empty = groupsReport();
    const stuck = empty.viewerGroups?.[2];
    if (!stuck) throw new Error('fixture');
    stuck.summary = { ...stuck.summary, streamsOpened: 0, timeToFirstFrameMs: null, frameGapMs: percentiles(0, 0, 0, 0, 0) };
    const row = groupRows(render(empty))[2];
    expect(row?.slice(2, 9)).toEqual(['0 / 3', '1.3', '0 / 0.8', '4.9', '—', '—', '42']);
  });
});

describe('renderHtmlReport: viewer-group text from the report file is text', () => {
  const report = groupsReport();
  const [normal, slow] = report.viewerGroups ?? [];
  if (!normal || !slow) throw new Error('fixture');
  slow.behaviour = HOSTILE;
  slow.summary.errors = { [HOSTILE]: 1 };
  // A hand-edited file may name a group camera-load does not know.
  normal.group = '<img src=x onerror=alert(1)>' as ViewerGroup;
  const [first] = report.streams;
  if (first) first.viewers = normal.group;
  const page = render(report);

  it('never writes its markup', () => {
    expect(page).not.toContain('<script>alert');
    expect(page).not.toContain('<img');
    expect(page.match(/<script/gi)).toHaveLength(3);
  });

  it('shows it as the text it is, in the section, the badge and the filter, without a class of its own', () => {
    const text = visibleText(page);
    expect(text).toContain(HOSTILE);
    expect(text).toContain('<img src=x onerror=alert(1)> (1 stream)');
    expect(sectionHtml(page, 'viewer-groups')).toContain('<span class="badge viewers">&lt;img src=x onerror=alert(1)&gt;</span>');
    expect(pageData(page).cameras.strings).toContain('<img src=x onerror=alert(1)>');
  });
});

describe('renderHtmlReport: a run without viewer groups', () => {
  it('has no section, column, filter or lead-in: the page of before', () => {
    for (const report of [runReport(), olderRunReport()]) {
      const page = render(report);
      expect(page).not.toContain('id="viewer-groups"');
      expect(page).not.toContain('data-sort="viewers"');
      expect(page).not.toContain('id="camera-group"');
      const data = pageData(page);
      expect('viewers' in data.cameras).toBe(false);
      expect('groupsBeganAt' in data).toBe(false);
      expect(visibleText(page)).not.toMatch(/viewer group|lead-in/i);
    }
  });

  it('an empty list of groups is no groups', () => {
    const report = runReport();
    report.viewerGroups = [];
    expect(render(report)).not.toContain('id="viewer-groups"');
  });
});
