import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { StreamStats } from '../../src/metrics/stream-stats.js';
import { Scraper } from '../../src/prometheus/families.js';
import { BUCKETS_SECONDS, LiveTally, tallyOf, viewerGroupsOf } from '../../src/prometheus/tally.js';
import type { Runner } from '../../src/run/runner.js';
import { parseMetricsText as parse } from '../helpers/metrics-text.js';
import { GROUPS_PLAN, groupedReport, groupedStreams } from '../helpers/viewer-groups-report.js';

// The live endpoint per viewer group (issue 29): with groups, each group's streams are summed apart, as the report's
// viewerGroups sum them, into families of their own labelled viewers="…"; the unlabelled series stay the run's.

const PROMTOOL = '/usr/bin/promtool';
const havePromtool = existsSync(PROMTOOL);

function fakeRunner(streams: StreamStats[]): Runner {
  return { snapshot: () => ({ streams }), on: () => undefined } as unknown as Runner;
}

function scrapeOf(streams: StreamStats[], viewers = GROUPS_PLAN): { text: string; values: Map<string, number> } {
  const live = new LiveTally(false);
  live.follow(fakeRunner(streams), streams.length, viewers);
  const text = new Scraper(live, { version: '1', command: 'run' }, false).text();
  return { text, values: parse(text) };
}

describe('the groups a run exports', () => {
  it("the plan's, normal first, whether or not a stream is in each", () => {
    expect(viewerGroupsOf([], GROUPS_PLAN)).toEqual(['normal', 'slow', 'stuck']);
  });

  it("without the plan, the streams' groups when any is not normal; none when all are", () => {
    const [normal, , , , slow] = groupedStreams();
    if (normal === undefined || slow === undefined) throw new Error('no streams');
    expect(viewerGroupsOf([slow, normal], undefined)).toEqual(['normal', 'slow']);
    expect(viewerGroupsOf([normal], undefined)).toEqual([]);
  });
});

describe('tallyOf per viewer group', () => {
  it("sums each group's streams as the report's viewerGroups do", () => {
    const streams = groupedStreams();
    const tally = tallyOf(streams, false, GROUPS_PLAN);
    const report = groupedReport(streams);
    expect([...tally.viewers.keys()]).toEqual(report.viewerGroups?.map((g) => g.group));
    for (const group of report.viewerGroups ?? []) {
      const v = tally.viewers.get(group.group);
      const s = group.summary;
      expect(v, group.group).toMatchObject({
        streams: s.streamsPlanned,
        frames: s.totalFrames,
        bytes: s.totalBytes,
        reconnections: s.totalReconnections,
        stalls: s.totalStalls,
        errorsByCode: s.errors,
        repeatedFrames: s.freshness.repeatedFrames,
        timestampedFrames: s.freshness.timestampedFrames,
      });
      expect(v?.frameGap.count).toBe(s.frameGapMs.count);
    }
    // The groups add up to the run's totals.
    expect([...tally.viewers.values()].reduce((n, v) => n + v.frames, 0)).toBe(tally.frames);
    expect([...tally.viewers.values()].reduce((n, v) => n + v.frameGap.count, 0)).toBe(tally.frameGap.count);
  });

  it('without groups: no per-group sums', () => {
    const normal = groupedStreams().filter((s) => s.viewers === 'normal');
    expect(tallyOf(normal, false).viewers.size).toBe(0);
  });
});

describe('the scrape with viewer groups', () => {
  it('labelled families per group beside the unlabelled ones, which stay the run totals', () => {
    const streams = groupedStreams();
    const { values } = scrapeOf(streams);
    const report = groupedReport(streams);
    expect(values.get('camera_load_frames_total')).toBe(report.summary.totalFrames);
    for (const group of report.viewerGroups ?? []) {
      const v = (name: string): number | undefined => values.get(`camera_load_viewers_${name}{viewers="${group.group}"}`);
      expect(v('frames_total'), group.group).toBe(group.summary.totalFrames);
      expect(v('received_bytes_total')).toBe(group.summary.totalBytes);
      expect(v('reconnections_total')).toBe(group.summary.totalReconnections);
      expect(v('streams_planned')).toBe(group.summary.streamsPlanned);
      expect(v('frame_gap_seconds_count')).toBe(group.summary.frameGapMs.count);
      expect(v('frame_delay_seconds_count')).toBe(group.summary.freshness.timestampedFrames);
    }
    expect(values.get('camera_load_viewers_connection_ends_total{viewers="slow",code="HTTP_503"}')).toBe(2);
    expect(values.get('camera_load_viewers_connection_ends_total{viewers="slow",code="ECONNRESET"}')).toBe(1);
    expect([...values.keys()].filter((k) => k.startsWith('camera_load_viewers_connection_ends_total{viewers="normal"'))).toEqual([]);
  });

  it("each group's frame-gap buckets are cumulative and end at its count", () => {
    const { values } = scrapeOf(groupedStreams());
    const buckets = BUCKETS_SECONDS.map((le) => values.get(`camera_load_viewers_frame_gap_seconds_bucket{viewers="slow",le="${le}"}`) ?? -1);
    expect(buckets).toEqual([...buckets].sort((a, b) => a - b));
    expect(values.get('camera_load_viewers_frame_gap_seconds_bucket{viewers="slow",le="0.35"}')).toBe(0);
    expect(values.get('camera_load_viewers_frame_gap_seconds_bucket{viewers="slow",le="0.5"}')).toBe(
      values.get('camera_load_viewers_frame_gap_seconds_count{viewers="slow"}'),
    );
    expect(values.get('camera_load_viewers_frame_gap_seconds_bucket{viewers="slow",le="+Inf"}')).toBe(
      values.get('camera_load_viewers_frame_gap_seconds_count{viewers="slow"}'),
    );
  });

  it('a group of the plan none of whose streams is here says 0', () => {
    const { values } = scrapeOf(groupedStreams().filter((s) => s.viewers === 'normal'));
    expect(values.get('camera_load_viewers_frames_total{viewers="stuck"}')).toBe(0);
    expect(values.get('camera_load_viewers_streams_planned{viewers="slow"}')).toBe(0);
  });

  it('without groups: no viewers series at all, the text as before', () => {
    const normal = groupedStreams().filter((s) => s.viewers === 'normal');
    const live = new LiveTally(false);
    live.follow(fakeRunner(normal), normal.length);
    const text = new Scraper(live, { version: '1', command: 'run' }, false).text();
    expect(text).not.toContain('camera_load_viewers_');
    expect(text).not.toContain('viewers=');
  });

  it("counters keep the finished runners' groups when the next runner starts from zero", () => {
    const live = new LiveTally(false);
    const scraper = new Scraper(live, { version: '1', command: 'max' }, false);
    const first = groupedStreams();
    live.follow(fakeRunner(first), first.length, GROUPS_PLAN);
    const before = parse(scraper.text()).get('camera_load_viewers_frames_total{viewers="slow"}') ?? 0;
    live.follow(fakeRunner(groupedStreams().slice(0, 1)), 1, GROUPS_PLAN);
    const after = parse(scraper.text());
    expect(after.get('camera_load_viewers_frames_total{viewers="slow"}')).toBe(before);
    expect(after.get('camera_load_viewers_streams_planned{viewers="slow"}')).toBe(0);
    expect(after.get('camera_load_viewers_streams_planned{viewers="normal"}')).toBe(1);
  });

  it.skipIf(!havePromtool)('promtool check metrics passes', () => {
    const result = spawnSync(PROMTOOL, ['check', 'metrics'], { input: scrapeOf(groupedStreams()).text, encoding: 'utf8', timeout: 10_000 });
    expect(`${result.stdout}${result.stderr}`).toBe('');
    expect(result.status).toBe(0);
  });
});
