import { describe, expect, it } from 'vitest';
import type { Report, StormReport } from '../../src/report/report-types.js';
import { stormStanding, stormStandingsOf } from '../../src/verdict/storm-verdict.js';
import { STORMS, stormedReport } from '../helpers/storms-report.js';

// One rule for how a reconnect storm fared (issue 30), for every output that marks one.

const run = (durationSeconds: number): Pick<Report, 'summary'> => ({ summary: { durationSeconds } as Report['summary'] });
const storm = (over: Partial<StormReport>): StormReport => ({ ...(STORMS[0] as StormReport), ...over });

describe('stormStanding', () => {
  it('passed: every dropped viewer had a frame again', () => {
    expect(stormStanding(run(5), storm({ viewers: 12, recovered: 12 }))).toEqual({ ran: true, lost: 0, failed: false });
  });

  it('failed: some dropped viewer never had a frame again by the run`s end', () => {
    expect(stormStanding(run(5), storm({ viewers: 12, recovered: 10 }))).toEqual({ ran: true, lost: 2, failed: true });
  });

  it('passed when no stream was open to drop', () => {
    expect(stormStanding(run(5), storm({ viewers: 0, recovered: 0 }))).toEqual({ ran: true, lost: 0, failed: false });
  });

  it('not run when the run ended at or before its time, or it never struck: neither passed nor failed', () => {
    expect(stormStanding(run(1), storm({ atSeconds: 1 }))).toEqual({ ran: false, lost: 0, failed: false });
    expect(stormStanding(run(0.5), storm({ atSeconds: 1, viewers: 3, recovered: 0 }))).toEqual({ ran: false, lost: 0, failed: false });
    expect(stormStanding(run(5), storm({ struckAtSeconds: null, viewers: 0, recovered: 0 }))).toEqual({ ran: false, lost: 0, failed: false });
  });
});

describe('stormStandingsOf', () => {
  it('each storm of the report with how it fared, in order', () => {
    const rows = stormStandingsOf(stormedReport());
    expect(rows.map((r) => [r.storm.storm, r.standing.ran, r.standing.failed])).toEqual([
      [1, true, false],
      [2, true, true],
      [3, false, false],
    ]);
  });

  it('none for a run without storms', () => {
    const { storms: _, ...report } = stormedReport();
    expect(stormStandingsOf(report)).toEqual([]);
  });
});
