import { afterEach, describe, expect, it } from 'vitest';
import { FleetTimelineRecorder, OpenStreamCounts, type FleetTimelineRow } from '../../src/sim/fleet-timeline.js';
import { startSimulator, type RunningSimulator } from '../../src/sim/simulator.js';
import { holdStreams, waitFor } from '../helpers/hold-streams.js';

// The simulator's own timeline (/__stats `timeline`), the ground truth the --stages tests check a client against:
// first the recorder alone on a fast clock, then the fleet over real sockets.

let sim: RunningSimulator | undefined;
let recorder: FleetTimelineRecorder | undefined;
afterEach(async () => {
  recorder?.stop();
  recorder = undefined;
  await sim?.close();
  sim = undefined;
});

const epochNow = (): number => performance.timeOrigin + performance.now();

describe('the fleet timeline recorder', () => {
  it('keeps at most maxRows rows, the newest, and counts the ones it dropped', async () => {
    const r = new FleetTimelineRecorder(new OpenStreamCounts(), () => [], { intervalMs: 5, maxRows: 3 });
    recorder = r;
    const timeline = await waitFor(() => {
      const t = r.snapshot();
      return t.droppedRows >= 2 ? t : undefined;
    }, 'two rows dropped');
    expect(timeline.rows).toHaveLength(3);
    expect(timeline.maxRows).toBe(3);
    // Oldest first, each starting where the one before ended.
    for (const [i, row] of timeline.rows.entries()) {
      const next = timeline.rows[i + 1];
      if (next) expect(next.t).toBeCloseTo(row.t + row.seconds, 2);
    }
  });

  it("a row holds the fewest and most open at once within it, from the count at its start, and the next starts from its end's", async () => {
    const counts = new OpenStreamCounts();
    const r = new FleetTimelineRecorder(counts, () => [], { intervalMs: 10 });
    recorder = r;
    // Within one turn of the event loop, so within one row.
    counts.opened();
    counts.opened();
    counts.opened();
    counts.closed();
    counts.closed();
    const rows = await waitFor(() => {
      const all = r.snapshot().rows;
      const busy = all.findIndex((row) => row.accepted > 0);
      return busy >= 0 && all.length > busy + 1 ? all.slice(busy, busy + 2) : undefined;
    }, 'the row of the opens and the one after');
    const pick = ({ openStreams, minOpenStreams, peakOpenStreams, accepted, closed }: FleetTimelineRow) => ({
      openStreams,
      minOpenStreams,
      peakOpenStreams,
      accepted,
      closed,
    });
    expect(rows.map(pick)).toEqual([
      { openStreams: 1, minOpenStreams: 0, peakOpenStreams: 3, accepted: 3, closed: 2 },
      { openStreams: 1, minOpenStreams: 1, peakOpenStreams: 1, accepted: 0, closed: 0 },
    ]);
    expect(counts.peak).toBe(3);
  });
});

describe('the fleet timeline over real sockets', () => {
  it('counts the viewers open, accepted and closed, and their spread over the cameras; a refused stream is none of them', async () => {
    const s = await startSimulator({ cameras: 3, inactive: 0, fps: 10, frameBytes: 2_000, maxClients: 3 });
    sim = s;
    const [a, b, c] = s.cameras.map((camera) => camera.fr_url ?? '');
    const held = await holdStreams([a ?? '', a ?? '', b ?? '']);
    await expect(holdStreams([c ?? ''])).rejects.toThrow(/503/);
    const allOpen = epochNow();
    // The first row that began with all three open, read as soon as it is recorded.
    const seen = await waitFor(() => {
      const timeline = s.stats().timeline;
      const row = timeline.rows.at(-1);
      return row && row.at >= allOpen ? { row, viewers: timeline.viewersPerCamera } : undefined;
    }, 'a row with every stream open');
    await held.close();
    const [first, second] = s.cameras;
    expect(seen.viewers).toEqual({ [String(first?.id)]: 2, [String(second?.id)]: 1 });
    expect(seen.row).toMatchObject({
      openStreams: 3,
      minOpenStreams: 3,
      peakOpenStreams: 3,
      accepted: 0,
      closed: 0,
      camerasWatched: 2,
      maxViewersPerCamera: 2,
    });
    const closedAt = epochNow();
    const timeline = await waitFor(() => {
      const t = s.stats().timeline;
      return (t.rows.at(-1)?.at ?? 0) >= closedAt ? t : undefined;
    }, 'a row after the streams closed');
    expect(timeline.rows.at(-1)).toMatchObject({ openStreams: 0, camerasWatched: 0, maxViewersPerCamera: 0 });
    expect(timeline.viewersPerCamera).toEqual({});
    const sum = (key: 'accepted' | 'closed'): number => timeline.rows.reduce((n, row) => n + row[key], 0);
    expect(sum('accepted')).toBe(3);
    expect(sum('closed')).toBe(3);
    expect(s.stats().totals).toMatchObject({ connections: 3, rejected: 1 });
    expect(timeline).toMatchObject({ intervalSeconds: 1, maxRows: 3_600, droppedRows: 0 });
    for (const row of timeline.rows) expect(row.seconds).toBeGreaterThan(0.5);
  });
});
