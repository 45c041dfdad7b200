import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_ARRIVALS_PER_SECOND, MAX_ZIPF_S, parseArrivalRate, parsePopularity, parseWatchTime } from '../../src/options/arrival-options.js';
import { arrivalsConfig } from '../../src/options/describe-options.js';
import type { RunFlags } from '../../src/options/run-options.js';
import { DEFAULTS } from '../../src/options/defaults.js';
import { MAX_STAGES } from '../../src/options/stage-options.js';
import { stagesDurationMs } from '../../src/stages.js';
import { refusal, runOptions as run } from '../helpers/option-refusals.js';

const RUN_MS = 300_000;

/** A refusal of the open model's: its code, the flag and the position named, on one line. */
function expectRefused(fn: () => unknown, ...parts: string[]): void {
  const { code, message } = refusal(fn);
  expect(code).toBe('ERR_BAD_ARRIVALS');
  for (const part of parts) expect(message).toContain(part);
  expect(message).not.toContain('\n');
}

describe('--arrival-rate <n/s|n/m|dur:rate,...>', () => {
  it.each([
    ['20/s', 20],
    ['0.5/s', 0.5],
    ['.5/s', 0.5],
    ['90/m', 1.5],
    [' 3 / s ', 3],
    [`${MAX_ARRIVALS_PER_SECOND}/s`, MAX_ARRIVALS_PER_SECOND],
  ])('reads the plain rate %j as %d new viewers a second', (text, perSecond) => {
    expect(parseArrivalRate(text)).toEqual({ kind: 'plain', perSecond });
  });

  it('reads spans as DURATION:RATE, a rate of 0 among them', () => {
    expect(parseArrivalRate('1m:5/s,5m:20/s, 30s:0/s ,1.5s:120/m')).toEqual({
      kind: 'staged',
      rates: [
        { durationMs: 60_000, perSecond: 5 },
        { durationMs: 300_000, perSecond: 20 },
        { durationMs: 30_000, perSecond: 0 },
        { durationMs: 1_500, perSecond: 2 },
      ],
    });
    // One span is staged too: it has a ':'.
    expect(parseArrivalRate('10s:1/s')).toEqual({ kind: 'staged', rates: [{ durationMs: 10_000, perSecond: 1 }] });
  });

  it.each([
    ['abc', "the rate ('abc', from character 1)", 'not new viewers per second or minute'],
    ['20', "the rate ('20', from character 1)", 'n/s or n/m'],
    ['20/h', 'the rate', 'n/s or n/m'],
    ['-5/s', 'the rate', 'n/s or n/m'],
    ['', "the rate ('', from character 1)", 'n/s or n/m'],
    ['0/s', "the rate ('0/s', from character 1)", 'is 0'],
    ['  0/m', "the rate ('0/m', from character 3)", 'is 0'],
    [`${MAX_ARRIVALS_PER_SECOND + 1}/s`, 'the rate', `above ${MAX_ARRIVALS_PER_SECOND}/s`],
    ['1m:5/s,20/s', "span 2 ('20/s', from character 8)", 'has no duration: write each span as DURATION:RATE'],
    ['20/s,30/s', "span 1 ('20/s', from character 1)", 'has no duration'],
    ['1m:5/s,:5/s', "span 2 (':5/s', from character 8)", "no duration before its ':'"],
    ['1m:5/s,xm:5/s', 'span 2', 'a duration that is not one'],
    ['1m:5/s,30d:5/s', 'span 2', 'a duration that is not one'],
    ['1m:5/s, 2m:fast', "span 2 ('2m:fast', from character 9)", 'needs a rate of new viewers as n/s or n/m'],
    ['1m:5', 'span 1', 'needs a rate'],
    [`1m:${MAX_ARRIVALS_PER_SECOND * 60 + 60}/m`, 'span 1', `above ${MAX_ARRIVALS_PER_SECOND}/s`],
    ['1m:0/s,2m:0/s', "every span's rate is 0", '1m:5/s,5m:20/s'],
    ['500ms:5/s', 'the spans last 500 ms together', '1 s at least'],
    ['500h:1/s,100h:1/s', '', 'more than 24 days'],
  ])('refuses %j, naming the flag, where in the value, and an example', (value, where, what) => {
    expectRefused(() => parseArrivalRate(value), '--arrival-rate', where, what);
  });

  it(`takes at most ${MAX_STAGES} spans`, () => {
    expect((parseArrivalRate(Array.from({ length: MAX_STAGES }, () => '1s:1/s').join(',')) as { rates: unknown[] }).rates).toHaveLength(MAX_STAGES);
    expectRefused(() => parseArrivalRate(Array.from({ length: MAX_STAGES + 1 }, () => '1s:1/s').join(',')), `at most ${MAX_STAGES} spans`);
  });

  it('reads back any staged rate it could have been given: each span`s duration and rate', () => {
    const span = fc.record({
      seconds: fc.integer({ min: 1, max: 3600 }),
      // Tenths, per second or per minute: decimals as a user writes them.
      tenths: fc.integer({ min: 0, max: 10_000 }),
      unit: fc.constantFrom('s', 'm'),
    });
    fc.assert(
      fc.property(fc.array(span, { minLength: 1, maxLength: MAX_STAGES }), (spans) => {
        fc.pre(spans.some((s) => s.tenths > 0));
        const text = spans.map((s) => `${s.seconds}s:${s.tenths / 10}/${s.unit}`).join(',');
        const parsed = parseArrivalRate(text);
        const rates = spans.map((s) => ({ durationMs: s.seconds * 1000, perSecond: s.tenths / 10 / (s.unit === 'm' ? 60 : 1) }));
        expect(parsed).toEqual({ kind: 'staged', rates });
        expect(stagesDurationMs(rates)).toBe(spans.reduce((sum, s) => sum + s.seconds * 1000, 0));
      }),
    );
  });
});

describe('--watch-time <30s|exp:30s|10s..60s>', () => {
  it.each([
    ['30s', { kind: 'fixed', ms: 30_000 }],
    ['90', { kind: 'fixed', ms: 90_000 }],
    ['5m', { kind: 'fixed', ms: RUN_MS }],
    ['exp:30s', { kind: 'exp', meanMs: 30_000 }],
    [' exp: 1.5m ', { kind: 'exp', meanMs: 90_000 }],
    ['10s..60s', { kind: 'uniform', minMs: 10_000, maxMs: 60_000 }],
    ['20s .. 20s', { kind: 'uniform', minMs: 20_000, maxMs: 20_000 }],
    ['500ms..5m', { kind: 'uniform', minMs: 500, maxMs: RUN_MS }],
  ])('reads %j', (text, watch) => {
    expect(parseWatchTime(text, RUN_MS)).toEqual(watch);
  });

  it.each([
    ['soon', "the watch time ('soon', from character 1)", 'not a duration'],
    ['0s', "the watch time ('0s', from character 1)", 'is 0'],
    ['6m', "the watch time ('6m', from character 1)", 'longer than the run (300 s)'],
    ['exp:', "the mean ('', from character 5)", 'not a duration'],
    ['exp:0', "the mean ('0', from character 5)", 'is 0'],
    ['exp:10m', "the mean ('10m', from character 5)", 'longer than the run (300 s)'],
    ['weibull:30s', "the watch time ('weibull:30s', from character 1)", 'not a duration'],
    ['0s..60s', "the shortest ('0s', from character 1)", 'is 0'],
    ['10s..x', "the longest ('x', from character 6)", 'not a duration'],
    ['60s..10s', "the longest ('10s', from character 6)", 'shorter than the shortest'],
    ['10s..6m', "the longest ('6m', from character 6)", 'longer than the run (300 s)'],
    ['..60s', 'MIN..MAX (from character 1)', 'shortest and longest'],
    ['10s..', 'MIN..MAX', 'shortest and longest'],
  ])('refuses %j, naming the flag, where in the value, and an example', (value, where, what) => {
    expectRefused(() => parseWatchTime(value, RUN_MS), '--watch-time', where, what, 'e.g. 30s, exp:30s or 10s..60s');
  });
});

describe('--camera-popularity <uniform|zipf[:s]>', () => {
  it.each([
    [undefined, { kind: 'uniform' }],
    ['uniform', { kind: 'uniform' }],
    ['zipf', { kind: 'zipf', s: 1 }],
    ['zipf:1.2', { kind: 'zipf', s: 1.2 }],
    [' zipf:.5 ', { kind: 'zipf', s: 0.5 }],
    [`zipf:${MAX_ZIPF_S}`, { kind: 'zipf', s: MAX_ZIPF_S }],
  ])('reads %j', (text, popularity) => {
    expect(parsePopularity(text)).toEqual(popularity);
  });

  it.each([
    ['zipf:0', "the exponent ('0', from character 6)"],
    ['zipf:', "the exponent ('', from character 6)"],
    ['zipf:-1', 'the exponent'],
    ['zipf:abc', 'the exponent'],
    ['zipf:1e2', 'the exponent'],
    [`zipf:${MAX_ZIPF_S + 0.5}`, 'the exponent'],
  ])('refuses %j: an exponent above 0 and at most 10', (value, where) => {
    expectRefused(() => parsePopularity(value), '--camera-popularity', where, `above 0 and at most ${MAX_ZIPF_S}`, 'e.g. uniform, zipf or zipf:1.2');
  });

  it.each(['pareto', 'Zipf', 'uniform:1', ''])('refuses %j: neither law', (value) => {
    expectRefused(() => parsePopularity(value), '--camera-popularity', 'from character 1', 'neither uniform nor zipf[:s]');
  });
});

describe('the open model in a run’s options', () => {
  it('a plain rate lasts --duration, given or the default, with no ramp-up and --max-streams or its default as the cap', () => {
    const options = run({ arrivalRate: '20/s', watchTime: '30s', duration: '2m' });
    expect(options).toMatchObject({ durationMs: 120_000, rampUpMs: 0, maxStreams: DEFAULTS.maxStreams });
    expect(options.arrivals).toEqual({
      rates: [{ durationMs: 120_000, perSecond: 20 }],
      watch: { kind: 'fixed', ms: 30_000 },
      popularity: { kind: 'uniform' },
    });
    expect(run({ arrivalRate: '1/s', watchTime: 'exp:10s' }).arrivals?.rates).toEqual([{ durationMs: RUN_MS, perSecond: 1 }]);
    expect(run({ arrivalRate: '1/s', watchTime: '10s', maxStreams: '7', cameraPopularity: 'zipf:1.2' })).toMatchObject({
      maxStreams: 7,
      arrivals: { popularity: { kind: 'zipf', s: 1.2 } },
    });
  });

  it('a plan of more than 10 million arrivals is refused before it is drawn, saying how many the run expects', () => {
    expect(() => run({ arrivalRate: '10000/s', watchTime: '10s', duration: '20m' })).toThrow(
      /^--arrival-rate: the run expects 12,000,000 arrivals, more than the 10,000,000 a run plans ahead: lower the rate or shorten the run/,
    );
    expect(run({ arrivalRate: '10000/s', watchTime: '10s', duration: '16m' }).arrivals?.rates).toHaveLength(1);
  });

  it('a staged rate sets the run’s length: the spans’ sum', () => {
    const options = run({ arrivalRate: '10s:5/s,1m:20/s,10s:0/s', watchTime: '10s..60s' });
    expect(options).toMatchObject({ durationMs: 80_000, rampUpMs: 0, maxStreams: DEFAULTS.maxStreams });
    expect(options.arrivals?.rates).toHaveLength(3);
    expect(options.stages).toBeUndefined();
  });

  it('without --arrival-rate there is no open model and --max-streams stays unset (asked on a terminal)', () => {
    const options = run({});
    expect(options.arrivals).toBeUndefined();
    expect('arrivals' in options).toBe(false);
    expect(options.maxStreams).toBeUndefined();
  });

  it.each<[string, Partial<RunFlags>, string]>([
    ['--watch-time alone', { watchTime: '30s' }, '--watch-time needs --arrival-rate'],
    ['--camera-popularity alone', { cameraPopularity: 'zipf' }, '--camera-popularity needs --arrival-rate'],
    ['a rate without a watch time', { arrivalRate: '20/s' }, 'an arrival rate needs --watch-time, e.g. 30s, exp:30s or 10s..60s'],
    ['a rate beside --stages', { arrivalRate: '20/s', watchTime: '30s', stages: '10s:5' }, 'choose one of --stages and --arrival-rate'],
    // Told as the one conflict it is, before --stages' own refusal of --duration.
    ['a rate beside --stages and --duration', { arrivalRate: '20/s', watchTime: '30s', stages: '10s:5', duration: '60' }, 'choose one of --stages'],
    ['a plain rate beside --ramp-up', { arrivalRate: '20/s', watchTime: '30s', rampUp: '10s' }, 'leave out --ramp-up'],
    ['a staged rate beside --ramp-up', { arrivalRate: '1m:20/s', watchTime: '30s', rampUp: '10s' }, 'leave out --ramp-up'],
    ['a staged rate beside --duration', { arrivalRate: '1m:20/s', watchTime: '30s', duration: '60' }, 'leave out --duration'],
    ['a watch time longer than a plain rate’s run', { arrivalRate: '20/s', watchTime: '2m', duration: '1m' }, 'longer than the run (60 s)'],
    ['a watch time longer than the spans', { arrivalRate: '10s:2/s,10s:4/s', watchTime: 'exp:30s' }, 'longer than the run (20 s)'],
    ['zipf:0', { arrivalRate: '20/s', watchTime: '30s', cameraPopularity: 'zipf:0' }, "the exponent ('0', from character 6)"],
  ])('refuses %s', (_case, flags, what) => {
    expectRefused(() => run(flags), what);
  });

  it('a plain rate beside --duration is the run’s length, not a conflict', () => {
    expect(run({ arrivalRate: '2/s', watchTime: '5s', duration: '20s' }).durationMs).toBe(20_000);
  });

  it('thresholds on {stage:N} count the spans (a plain rate is one stage)', () => {
    const staged = { arrivalRate: '10s:1/s,10s:2/s', watchTime: '5s' };
    expect(run({ ...staged, threshold: ['fps.p5{stage:2}>=1'] }).thresholds).toHaveLength(1);
    expect(refusal(() => run({ ...staged, threshold: ['fps.p5{stage:3}>=1'] })).message).toContain('there is no stage 3');
    expect(run({ arrivalRate: '1/s', watchTime: '5s', threshold: ['fps.p5{stage:1}>=1'] }).thresholds).toHaveLength(1);
    expect(refusal(() => run({ arrivalRate: '1/s', watchTime: '5s', threshold: ['fps.p5{stage:2}>=1'] })).message).toContain('there is no stage 2');
  });

  it('storms fall within a staged rate’s run', () => {
    expect(run({ arrivalRate: '10s:1/s,10s:2/s', watchTime: '5s', stormAt: '15s' }).storms).toEqual([{ atMs: 15_000, immediate: false }]);
    expect(refusal(() => run({ arrivalRate: '10s:1/s,10s:2/s', watchTime: '5s', stormAt: '30s' })).code).toBe('ERR_BAD_STORM');
  });
});

describe('the open model in a run’s config', () => {
  it('records the spans, the watch time and the popularity, times in seconds; null each without --arrival-rate', () => {
    expect(arrivalsConfig(undefined)).toEqual({ arrivalRate: null, watchTime: null, cameraPopularity: null });
    const config = (watchTime: string) => arrivalsConfig(run({ arrivalRate: '10s:1/s,20s:90/m', watchTime, cameraPopularity: 'zipf' }).arrivals);
    expect(config('5s')).toEqual({
      arrivalRate: [
        { durationSeconds: 10, perSecond: 1 },
        { durationSeconds: 20, perSecond: 1.5 },
      ],
      watchTime: { kind: 'fixed', seconds: 5 },
      cameraPopularity: { kind: 'zipf', s: 1 },
    });
    expect(config('exp:2.5s').watchTime).toEqual({ kind: 'exp', meanSeconds: 2.5 });
    expect(config('1s..3s').watchTime).toEqual({ kind: 'uniform', minSeconds: 1, maxSeconds: 3 });
  });
});
