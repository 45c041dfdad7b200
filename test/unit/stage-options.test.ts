import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkStagesAgainst, MAX_STAGES, parseStages } from '../../src/options/stage-options.js';
import { refusal, runOptions as run } from '../helpers/option-refusals.js';

describe('--stages <dur:n,...>', () => {
  it("reads k6's form: durations in any unit the flags take, whole targets from 0", () => {
    expect(parseStages('30s:100,2m:100,30s:500,1m:0')).toEqual([
      { durationMs: 30_000, target: 100 },
      { durationMs: 120_000, target: 100 },
      { durationMs: 30_000, target: 500 },
      { durationMs: 60_000, target: 0 },
    ]);
    expect(parseStages(' 1.5s : 3 , 0s:7 ')).toEqual([
      { durationMs: 1_500, target: 3 },
      { durationMs: 0, target: 7 },
    ]);
  });

  it.each([
    ['30s', 'stage 1', 'has no target'],
    [':100', 'stage 1', 'has no duration'],
    ['10s:5,:100', "stage 2 (':100', from character 7)", 'has no duration'],
    ['30s:-1', 'stage 1', 'whole number'],
    ['30s:1.5', 'stage 1', 'whole number'],
    ['10s:5,abc:5', 'stage 2', 'duration that is not one'],
    ['10s:5,20s:', 'stage 2', 'whole number'],
    ['10s:0,5s:0', '', 'every target is 0'],
    ['500ms:4', '', '1 s at least'],
  ])('refuses %s, naming the flag, the position and an example', (value, where, what) => {
    const { code, message } = refusal(() => parseStages(value));
    expect(code).toBe('ERR_BAD_STAGES');
    expect(message).toContain('--stages');
    expect(message).toContain(where);
    expect(message).toContain(what);
    expect(message).not.toContain('\n');
  });

  it(`takes at most ${MAX_STAGES} stages`, () => {
    expect(parseStages(Array.from({ length: MAX_STAGES }, () => '1s:1').join(','))).toHaveLength(MAX_STAGES);
    expect(refusal(() => parseStages(Array.from({ length: MAX_STAGES + 1 }, () => '1s:1').join(','))).message).toContain(`at most ${MAX_STAGES}`);
  });

  it('reads back any list it could have been given', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ seconds: fc.integer({ min: 1, max: 600 }), target: fc.integer({ min: 0, max: 5000 }) }), { minLength: 1, maxLength: 20 }),
        (list) => {
          fc.pre(list.some((s) => s.target > 0));
          const parsed = parseStages(list.map((s) => `${s.seconds}s:${s.target}`).join(','));
          expect(parsed).toEqual(list.map((s) => ({ durationMs: s.seconds * 1000, target: s.target })));
        },
      ),
    );
  });

  it('is refused beside --duration and --ramp-up, and beside a --max-streams under its highest target', () => {
    const stages = parseStages('10s:50,10s:20');
    const check = (given: Parameters<typeof checkStagesAgainst>[1]) => () => {
      checkStagesAgainst(stages, given);
    };
    expect(refusal(check({ duration: true, rampUp: false, maxStreams: undefined })).message).toContain('leave out --duration');
    expect(refusal(check({ duration: false, rampUp: true, maxStreams: undefined })).message).toContain('leave out --ramp-up');
    expect(refusal(check({ duration: false, rampUp: false, maxStreams: 49 })).message).toContain(
      'reaches 50 concurrent streams (stage 1) but --max-streams is 49: raise --max-streams to 50',
    );
    expect(check({ duration: false, rampUp: false, maxStreams: 50 })).not.toThrow();
  });

  it('sets the run: its length the stages’ sum, no ramp-up, as many streams as the highest target (no prompt)', () => {
    const options = run({ stages: '10s:50,1m:80,10s:0' });
    expect(options).toMatchObject({ durationMs: 80_000, rampUpMs: 0, maxStreams: 80 });
    expect(options.stages).toHaveLength(3);
    expect(run({}).durationMs).toBe(300_000);
    expect(refusal(() => run({ stages: '10s:5', duration: '60' })).code).toBe('ERR_BAD_STAGES');
    // A threshold on a stage the plan does not have is refused before the run, not failed after it.
    expect(refusal(() => run({ stages: '10s:5,10s:5', threshold: ['fps.p5{stage:3}>=1'] })).message).toContain('there is no stage 3');
    expect(run({ stages: '10s:5,10s:5', threshold: ['fps.p5{stage:2}>=1'] }).thresholds).toHaveLength(1);
  });
});
