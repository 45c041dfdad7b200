import { describe, expect, it } from 'vitest';
import { stageStanding } from '../../src/verdict/stage-verdict.js';
import { stagedReport, stoppedAt } from '../helpers/stages-report.js';

// How each stage fared, the one rule JUnit, the job summary and the page mark a stage by.

const standings = (report = stagedReport()) => (report.stages ?? []).map((stage, i) => stageStanding(report, stage, i));

describe('stageStanding', () => {
  it('counts the viewers open in each stage and those with a frame; fails the stage none of them had a frame in', () => {
    expect(standings()).toEqual([
      { ran: true, viewers: { open: 12, withFrames: 12 }, failed: false },
      { ran: true, viewers: { open: 12, withFrames: 12 }, failed: false },
      { ran: true, viewers: { open: 12, withFrames: 0 }, failed: true },
      { ran: true, viewers: { open: 4, withFrames: 4 }, failed: false },
    ]);
  });

  it('a stage the run did not reach did not run: neither failed nor counted', () => {
    expect(standings(stoppedAt(stagedReport(), 3.5)).map(({ ran, failed }) => ({ ran, failed }))).toEqual([
      { ran: true, failed: false },
      { ran: true, failed: false },
      { ran: true, failed: true },
      { ran: false, failed: false },
    ]);
  });

  it('a stage no viewer was open in (a pause at 0) passes', () => {
    const report = stagedReport();
    report.streams = report.streams.map((s) => ({ ...s, stages: [...(s.stages ?? []).slice(0, 3), null] }));
    expect(standings(report)[3]).toEqual({ ran: true, viewers: { open: 0, withFrames: 0 }, failed: false });
  });

  it('without per-stream stages, reads the stage`s own frames: none while streams were asked for fails', () => {
    const report = stagedReport();
    report.streams = report.streams.map(({ stages: _, ...s }) => s);
    const [first, , third] = report.stages ?? [];
    if (!first || !third) throw new Error('fixture');
    first.frames = 0;
    first.target = { from: 0, to: 0 };
    expect(standings(report).map(({ viewers, failed }) => ({ viewers, failed }))).toEqual([
      { viewers: null, failed: false },
      { viewers: null, failed: false },
      { viewers: null, failed: true },
      { viewers: null, failed: false },
    ]);
  });
});
