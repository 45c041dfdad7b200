import { describe, expect, it } from 'vitest';
import { Timeline, type Totals } from '../../src/metrics/timeline.js';

const totals = (second: number, frames: number, extra: Partial<Totals> = {}): Totals => ({
  at: second * 1000,
  frames,
  bytes: frames * 1000,
  reconnections: 0,
  errors: 0,
  errorsByCode: {},
  openStreams: 2,
  freshFrames: frames,
  timestampedFrames: 0,
  delaySumMs: 0,
  ...extra,
});

describe('timeline', () => {
  it('rows are the differences between successive totals, as rates', () => {
    const timeline = new Timeline();
    expect(timeline.add(totals(0, 0))).toBeUndefined();
    expect(timeline.add(totals(1, 10, { reconnections: 1, errors: 2, errorsByCode: { HTTP_503: 1, STALL: 1 } }))).toEqual({
      t: 0,
      seconds: 1,
      openStreams: 2,
      fps: 10,
      bytesPerSecond: 10_000,
      reconnections: 1,
      errors: 2,
      errorsByCode: { HTTP_503: 1, STALL: 1 },
      freshFps: 10,
      timestampedFrames: 0,
      delayMsMean: null,
    });
    const next = timeline.add(totals(3, 30, { reconnections: 1, errors: 3, errorsByCode: { HTTP_503: 1, STALL: 2 } }));
    expect(next?.fps).toBe(10);
    // Only the codes that moved during the row.
    expect(next?.errorsByCode).toEqual({ STALL: 1 });
  });

  it('stays bounded and keeps the totals when it coarsens old rows', () => {
    const timeline = new Timeline(100);
    let frames = 0;
    timeline.add(totals(0, 0));
    for (let s = 1; s <= 10_000; s++) {
      frames += s % 7;
      timeline.add(totals(s, frames, { reconnections: s, errors: 2 * s, errorsByCode: { ENDED: s, STALL: s } }));
      expect(timeline.rows.length).toBeLessThanOrEqual(100);
    }
    const rows = timeline.rows;
    const seconds = rows.reduce((sum, r) => sum + r.seconds, 0);
    expect(seconds).toBe(10_000);
    expect(rows.reduce((sum, r) => sum + r.fps * r.seconds, 0)).toBeCloseTo(frames, -1);
    expect(rows.reduce((sum, r) => sum + r.reconnections, 0)).toBe(10_000);
    expect(rows.reduce((sum, r) => sum + r.errors, 0)).toBe(20_000);
    expect(rows.reduce((sum, r) => sum + (r.errorsByCode.STALL ?? 0), 0)).toBe(10_000);
    // Contiguous: each row starts where the previous one ended.
    for (let i = 1; i < rows.length; i++) expect(rows[i]?.t).toBeCloseTo((rows[i - 1]?.t ?? 0) + (rows[i - 1]?.seconds ?? 0), 6);
    // Recent rows keep full detail.
    expect(rows.at(-1)?.seconds).toBe(1);
  });

  it("the end of a run: a sliver of an interval joins the row before; the connections the stop ends are the last row's, its frames no row's rate", () => {
    const timeline = new Timeline();
    timeline.add(totals(0, 0));
    timeline.add(totals(1, 10));
    timeline.add(totals(2, 20));
    // The stop 20 ms after the last tick: joined, not a row of its own.
    timeline.close(totals(2.02, 20), 0.5);
    // Frames that had arrived whole, confirmed by the stop, with no stream open any more.
    timeline.settle(totals(2.05, 23, { openStreams: 0, reconnections: 1, errors: 1, errorsByCode: { STALL: 1 } }));
    const rows = timeline.rows;
    expect(rows).toHaveLength(2);
    expect(rows[1]).toMatchObject({ t: 1, seconds: 1.02, openStreams: 2, reconnections: 1, errors: 1, errorsByCode: { STALL: 1 } });
    // 10 frames confirmed in the last row's 1.02 s; the 3 the stop confirmed would count one frame per stream twice.
    expect(rows[1]?.fps).toBeCloseTo(10 / 1.02, 1);
    const frames = rows.reduce((sum, row) => sum + row.fps * row.seconds, 0);
    expect(frames).toBeCloseTo(20, 0);
  });

  it('a last row of half an interval or more stays a row of its own', () => {
    const timeline = new Timeline();
    timeline.add(totals(0, 0));
    timeline.add(totals(1, 10));
    timeline.close(totals(1.6, 16), 0.5);
    expect(timeline.rows.map((row) => row.seconds)).toEqual([1, 0.6]);
  });
});
