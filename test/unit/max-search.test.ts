import { describe, expect, it } from 'vitest';
import { MaxSearch } from '../../src/max/max-search.js';
import { DEFAULT_CRITERIA } from '../../src/max/stability.js';
import type { ReportSummary } from '../../src/report/report-types.js';

const summary = (valid = true): ReportSummary => ({ valid, ...(valid ? {} : { invalidReason: 'client CPU' }) }) as ReportSummary;
const measure = (level: number, fpsPerStream: number, reconnections = 0) => ({ level, opened: level, reconnections, stalls: 0, fpsPerStream });

describe('MaxSearch: the search with the reference frame rate, trials handed in', () => {
  it('holds every level to 90% of the lowest stable level’s frame rate, and answers the highest stable level', () => {
    const search = new MaxSearch(100, 1, 1, DEFAULT_CRITERIA);
    // Above 60 streams the server slows to 4 fps; at 100 it also drops streams.
    const fpsAt = (level: number): number => (level <= 60 ? 5 : 4);
    for (let level = search.next(), n = 0; level !== undefined && n < 30; level = search.next(), n++) {
      search.record(measure(level, fpsAt(level), level === 100 ? 2 : 0), summary());
    }
    expect(search.answer).toBe(60);
    const result = search.result();
    expect(result.maxStableStreams).toBe(60);
    expect(result.referenceFpsPerStream).toBe(5);
    expect(result.fpsPerStreamAtMax).toBe(5);
    // Levels above 60 lose no stream, yet fail: 4 fps is below 90% of the 5 fps measured at 50, the reference.
    const above = search.trials.filter((t) => t.level > 60 && t.level < 100);
    expect(above.length).toBeGreaterThan(0);
    for (const t of above) expect(t.verdict.stable).toBe(false);
  });

  it('stops when camera-load itself saturates: the answer is a lower bound, and no level comes next', () => {
    const search = new MaxSearch(50, 1, 1, DEFAULT_CRITERIA);
    const level = search.next() ?? 0;
    search.record(measure(level, 5), summary(false));
    expect(search.next()).toBeUndefined();
    expect(search.result()).toMatchObject({ boundedByClient: true, boundedByClientReason: 'client CPU', maxStableStreams: null, trials: 1 });
  });
});
