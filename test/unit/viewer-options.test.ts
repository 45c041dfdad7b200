import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import {
  defaultLeadInMs,
  parsePausingViewers,
  parseSeed,
  parseSlowViewers,
  parseStuckViewers,
  resolveViewerPlan,
  type RunSpan,
  type ViewerFlags,
} from '../../src/options/viewer-options.js';
import { refusal } from '../helpers/option-refusals.js';

const FIVE_MINUTES: RunSpan = { durationMs: 300_000, rampUpMs: 0 };

describe('--slow-viewers <share>@<rate>', () => {
  it.each([
    ['20%@1Mbps', 0.2, 125_000],
    ['20%@1mbps', 0.2, 125_000],
    ['2.5%@8bps', 0.025, 1],
    ['100%@1Gbps', 1, 125_000_000],
    ['100%@1gbps', 1, 125_000_000],
    ['10%@500kbps', 0.1, 62_500],
    ['10%@500Kbps', 0.1, 62_500],
    ['10%@.5Mbps', 0.1, 62_500],
    ['10%@1B/s', 0.1, 1],
    ['10%@125KB/s', 0.1, 125_000],
    ['10%@125kB/s', 0.1, 125_000],
    ['10%@1.5MB/s', 0.1, 1_500_000],
    ['10%@1GB/s', 0.1, 1e9],
    ['10%@64KiB/s', 0.1, 65_536],
    ['10%@1MiB/s', 0.1, 1_048_576],
    [' 20 % @ 1 Mbps ', 0.2, 125_000],
    ['20%@1 MB / s', 0.2, 1e6],
    ['0.001%@1Mbps', 0.000_01, 125_000],
  ])('%j → share %d, %d B/s', (text, share, bytesPerSecond) => {
    const slow = parseSlowViewers(text);
    expect(slow.group).toBe('slow');
    expect(slow.share).toBeCloseTo(share, 12);
    expect(slow.bytesPerSecond).toBeCloseTo(bytesPerSecond, 6);
  });

  it.each([
    ['20%@0Mbps', /--slow-viewers: a rate of 0 never reads \(that is --stuck-viewers\): give a rate of at least 1 B\/s/],
    ['20%@0B/s', /a rate of 0 never reads/],
    ['20%@4bps', /--slow-viewers reads at least 1 B\/s \(8 bps\).*got '20%@4bps'/],
    ['20%@0.5B/s', /reads at least 1 B\/s/],
    ['0%@1Mbps', /--slow-viewers expects a share of the streams above 0% and at most 100%.*e\.g\. 20%@1Mbps; got '0%@1Mbps'/],
    ['101%@1Mbps', /above 0% and at most 100%.*got '101%@1Mbps'/],
    ['100.01%@1Mbps', /above 0% and at most 100%/],
    ['20@1Mbps', /a share of the streams/],
    ['0.2@1Mbps', /a share of the streams/],
    ['-5%@1Mbps', /a share of the streams/],
    ['20%', /--slow-viewers expects SHARE@RATE, e\.g\. 20%@1Mbps; got '20%'/],
    ['', /expects SHARE@RATE/],
    ['20%@', /expects a rate in bps, kbps, Mbps/],
    ['20%@1', /expects a rate/],
    ['20%@1Mb', /expects a rate/],
    ['20%@1Tbps', /expects a rate/],
    ['20%@1mb/s', /expects a rate/],
    ['20%@1e6B/s', /expects a rate/],
    ['20%@fast', /expects a rate/],
    ['20%@1Mbps@2Mbps', /expects a rate/],
    ['20%@1MBps', /'1MBps' reads as bits to some and bytes to others: write bits as Mbps \(lower-case bps\) or bytes as MB\/s/],
    ['20%@1KBPS', /reads as bits to some and bytes to others/],
    [`20%@${'9'.repeat(400)}B/s`, /too large/],
  ])('%j is refused: %s', (text, message) => {
    const { code, message: got } = refusal(() => parseSlowViewers(text));
    expect(code).toBe('ERR_BAD_VIEWER_GROUP');
    expect(got).toMatch(message);
    expect(got).toContain('--slow-viewers');
    expect(got).not.toContain('\n');
  });
});

describe('--pausing-viewers <share>@<pause>/<every>', () => {
  it.each([
    ['5%@20s/60s', 0.05, 20_000, 60_000],
    ['5%@20/60', 0.05, 20_000, 60_000],
    ['5%@500ms/1s', 0.05, 500, 1_000],
    ['12.5%@1m/1h', 0.125, 60_000, 3_600_000],
    [' 5% @ 20s / 60s ', 0.05, 20_000, 60_000],
    ['100%@59.999s/60s', 1, 59_999, 60_000],
  ])('%j → share %d, pause %i ms every %i ms', (text, share, pauseMs, everyMs) => {
    expect(parsePausingViewers(text)).toEqual({ group: 'pausing', share, pauseMs, everyMs });
  });

  it.each([
    ['5%@60s/60s', /--pausing-viewers: a pause of 60s every 60s never reads: make the pause shorter than its period, e\.g\. 5%@20s\/60s; got '5%@60s\/60s'/],
    ['5%@2m/60s', /a pause of 2m every 60s never reads: make the pause shorter than its period/],
    ['5%@10s/0', /a pause of 10s every 0 never reads/],
    ['5%@0s/60s', /--pausing-viewers: a pause of 0 never pauses: give a pause above 0/],
    ['5%@0.0001s/60s', /a pause of 0 never pauses/],
    ['0%@20s/60s', /--pausing-viewers expects a share of the streams above 0% and at most 100%.*e\.g\. 5%@20s\/60s/],
    ['101%@20s/60s', /above 0% and at most 100%/],
    ['5%', /--pausing-viewers expects SHARE@PAUSE\/EVERY, e\.g\. 5%@20s\/60s; got '5%'/],
    ['5%@20s', /--pausing-viewers expects SHARE@PAUSE\/EVERY with times such as 300, 90s, 5m or 1h/],
    ['5%@20s/', /with times such as/],
    ['5%@/60s', /with times such as/],
    ['5%@20x/60s', /with times such as/],
    ['5%@20s/60s/90s', /with times such as/],
    ['5%@20s/30d', /with times such as/],
  ])('%j is refused: %s', (text, message) => {
    const { code, message: got } = refusal(() => parsePausingViewers(text));
    expect(code).toBe('ERR_BAD_VIEWER_GROUP');
    expect(got).toMatch(message);
    expect(got).not.toContain('\n');
  });
});

describe('--stuck-viewers <share>', () => {
  it.each([
    ['10%', 0.1],
    ['100%', 1],
    ['0.5%', 0.005],
    [' 33.3 % ', 0.333],
  ])('%j → share %d', (text, share) => {
    const stuck = parseStuckViewers(text);
    expect(stuck.group).toBe('stuck');
    expect(stuck.share).toBeCloseTo(share, 12);
  });

  it.each(['0%', '101%', '10', '0.1', 'ten', '', '10%@1Mbps'])('%j is refused with the flag, what was got and an example', (text) => {
    const { code, message } = refusal(() => parseStuckViewers(text));
    expect(code).toBe('ERR_BAD_VIEWER_GROUP');
    expect(message).toBe(`--stuck-viewers expects a share of the streams above 0% and at most 100% (decimals allowed: 2.5%), e.g. 10%; got '${text}'`);
  });
});

describe('--seed <n>', () => {
  it.each([
    [undefined, 1],
    ['0', 0],
    ['1', 1],
    ['42', 42],
    [' 7 ', 7],
    ['4294967295', 4_294_967_295],
  ])('%j → %i', (text, seed) => {
    expect(parseSeed(text)).toBe(seed);
  });

  it.each(['4294967296', '-1', '1.5', 'abc', '', '1e3', '99999999999999999999'])('%j is refused', (text) => {
    const { code, message } = refusal(() => parseSeed(text));
    expect(code).toBe('ERR_BAD_SEED');
    expect(message).toBe(`--seed expects a whole number from 0 to 4294967295, e.g. 42; got '${text}'`);
  });
});

describe('the viewer plan: groups, their total, and the lead-in', () => {
  it('no group flag: no plan', () => {
    expect(resolveViewerPlan({}, FIVE_MINUTES)).toBeUndefined();
    expect(resolveViewerPlan({ seed: '7' }, FIVE_MINUTES)).toBeUndefined();
  });

  it('every group, in the order slow, pausing, stuck, whatever order the flags came in', () => {
    const flags: ViewerFlags = { stuckViewers: '10%', pausingViewers: '5%@20s/60s', slowViewers: '20%@1Mbps' };
    expect(resolveViewerPlan(flags, FIVE_MINUTES)).toEqual({
      behaviours: [
        { group: 'slow', share: 0.2, bytesPerSecond: 125_000 },
        { group: 'pausing', share: 0.05, pauseMs: 20_000, everyMs: 60_000 },
        { group: 'stuck', share: 0.1 },
      ],
      leadInMs: 75_000,
    });
  });

  it.each([
    [{ slowViewers: '60%@1Mbps', stuckViewers: '50%' }, '--slow-viewers and --stuck-viewers take 110% of the streams together'],
    [
      { slowViewers: '40%@1Mbps', pausingViewers: '40%@1s/2s', stuckViewers: '20.5%' },
      '--slow-viewers, --pausing-viewers and --stuck-viewers take 100.5% of the streams together',
    ],
    [{ pausingViewers: '100%@1s/2s', stuckViewers: '0.001%' }, '--pausing-viewers and --stuck-viewers take 100.001% of the streams together'],
  ])('shares over 100%% together are refused, naming the flags and their total: %j', (flags, words) => {
    const { code, message } = refusal(() => resolveViewerPlan(flags, FIVE_MINUTES));
    expect(code).toBe('ERR_VIEWER_SHARES');
    expect(message).toBe(`${words}; the viewer groups take at most 100%: make the shares smaller`);
  });

  it('shares that make exactly 100% are taken, rounding errors and all', () => {
    const plan = resolveViewerPlan({ slowViewers: '33.3%@1Mbps', pausingViewers: '33.3%@1s/2s', stuckViewers: '33.4%' }, FIVE_MINUTES);
    expect(plan?.behaviours).toHaveLength(3);
    expect(resolveViewerPlan({ slowViewers: '70.1%@1Mbps', stuckViewers: '29.9%' }, FIVE_MINUTES)?.behaviours).toHaveLength(2);
  });

  it.each([
    [{ durationMs: 300_000, rampUpMs: 0 }, 75_000],
    [{ durationMs: 300_000, rampUpMs: 60_000 }, 75_000],
    [{ durationMs: 300_000, rampUpMs: 120_000 }, 120_000],
    [{ durationMs: 10_000, rampUpMs: 0 }, 2_500],
    [{ durationMs: 2_000, rampUpMs: 0 }, 1_000],
    [{ durationMs: 1_001, rampUpMs: 0 }, 1_000],
    [{ durationMs: 30_001, rampUpMs: 0 }, 7_501],
  ])('default lead-in for %j: %i ms (a quarter, not before the ramp-up ends, 1 s at least)', (run, leadInMs) => {
    expect(defaultLeadInMs(run)).toBe(leadInMs);
    if (leadInMs + 1_000 <= run.durationMs) expect(resolveViewerPlan({ stuckViewers: '10%' }, run)?.leadInMs).toBe(leadInMs);
  });

  it.each([
    ['30s', FIVE_MINUTES, 30_000],
    ['1s', FIVE_MINUTES, 1_000],
    ['299s', FIVE_MINUTES, 299_000],
    ['60s', { durationMs: 300_000, rampUpMs: 60_000 }, 60_000],
    ['2m', { durationMs: 300_000, rampUpMs: 60_000 }, 120_000],
  ])('--lead-in %s in %j → %i ms', (leadIn, run, leadInMs) => {
    expect(resolveViewerPlan({ stuckViewers: '10%', leadIn }, run)?.leadInMs).toBe(leadInMs);
  });

  it.each([
    [{ leadIn: '30s' }, FIVE_MINUTES, '--lead-in applies to viewer groups: give --slow-viewers, --pausing-viewers or --stuck-viewers'],
    [
      { stuckViewers: '10%', leadIn: '5m' },
      FIVE_MINUTES,
      'a run too short for the lead-in: the viewer groups begin at --lead-in 5m and need at least 1 s of the run after it, but the run is --duration 300s: give a longer --duration or a shorter --lead-in',
    ],
    [{ stuckViewers: '10%', leadIn: '299.5s' }, FIVE_MINUTES, 'a run too short for the lead-in: the viewer groups begin at --lead-in 299.5s'],
    [{ stuckViewers: '10%', leadIn: '1h' }, FIVE_MINUTES, 'a run too short for the lead-in'],
    [
      { stuckViewers: '10%', leadIn: '30s' },
      { durationMs: 300_000, rampUpMs: 60_000 },
      "--lead-in 30s comes before the ramp-up ends (--ramp-up 60s): the normal viewers' baseline needs every stream started; give --lead-in 60s or more, or a shorter --ramp-up",
    ],
    [{ stuckViewers: '10%', leadIn: '500ms' }, FIVE_MINUTES, "--lead-in must be at least 1 s, e.g. 30s; got '500ms'"],
    [{ stuckViewers: '10%', leadIn: '0' }, FIVE_MINUTES, "--lead-in must be at least 1 s, e.g. 30s; got '0'"],
    [
      { stuckViewers: '10%' },
      { durationMs: 1_500, rampUpMs: 0 },
      'a run too short for the lead-in: the viewer groups begin at 1 s (the default --lead-in: a quarter of --duration, 1 s at least, not before --ramp-up ends) and need at least 1 s of the run after it, but the run is --duration 1.5s: give a longer --duration',
    ],
    [
      { slowViewers: '10%@1Mbps' },
      { durationMs: 60_000, rampUpMs: 60_000 },
      'a run too short for the lead-in: the viewer groups begin at 60 s (the default --lead-in: a quarter of --duration, 1 s at least, not before --ramp-up ends) and need at least 1 s of the run after it, but the run is --duration 60s: give a longer --duration or a shorter --ramp-up',
    ],
  ])('%j in %j is refused: %s', (flags, run, message) => {
    const { code, message: got } = refusal(() => resolveViewerPlan(flags, run));
    expect(code).toBe('ERR_BAD_LEAD_IN');
    expect(got.startsWith(message)).toBe(true);
  });

  it('a malformed --lead-in names the flag and the times it takes', () => {
    expect(() => resolveViewerPlan({ stuckViewers: '10%', leadIn: 'soon' }, FIVE_MINUTES)).toThrow(
      "--lead-in expects a duration such as 300, 90s, 5m or 1h; got 'soon'",
    );
  });
});

// What the properties draw: shares as people write them (up to three decimals), rates in every unit.
const percent = fc.integer({ min: 1, max: 100_000 }).map((thousandths) => thousandths / 1000);
const RATE_UNITS = [
  ['bps', 1 / 8],
  ['kbps', 1e3 / 8],
  ['Mbps', 1e6 / 8],
  ['Gbps', 1e9 / 8],
  ['B/s', 1],
  ['KB/s', 1e3],
  ['MB/s', 1e6],
  ['GB/s', 1e9],
  ['KiB/s', 1024],
  ['MiB/s', 1024 ** 2],
] as const;
const rate = fc
  .tuple(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 0, max: 3 }), fc.constantFrom(...RATE_UNITS))
  .map(([digits, decimals, [unit, factor]]) => ({ text: `${digits / 10 ** decimals}${unit}`, bytesPerSecond: (digits / 10 ** decimals) * factor }))
  .filter(({ bytesPerSecond }) => bytesPerSecond >= 1);

describe('properties', () => {
  it('a share and a rate written out read back as what was written', () => {
    fc.assert(
      fc.property(percent, rate, (share, { text, bytesPerSecond }) => {
        const slow = parseSlowViewers(`${share}%@${text}`);
        expect(slow.share).toBeCloseTo(share / 100, 12);
        expect(slow.bytesPerSecond / bytesPerSecond).toBeCloseTo(1, 12);
      }),
      { numRuns: 500 },
    );
  });

  it('a pause and a period written out read back as what was written, whenever the pause is the shorter', () => {
    fc.assert(
      fc.property(percent, fc.integer({ min: 1, max: 86_400_000 }), fc.integer({ min: 1, max: 86_400_000 }), (share, pauseMs, everyMs) => {
        const text = `${share}%@${pauseMs}ms/${everyMs / 1000}s`;
        if (pauseMs < everyMs) expect(parsePausingViewers(text)).toEqual({ group: 'pausing', share: share / 100, pauseMs, everyMs });
        else expect(() => parsePausingViewers(text)).toThrow(/never reads: make the pause shorter than its period/);
      }),
      { numRuns: 500 },
    );
  });

  it('any plan taken has its groups in order, shares above 0 summing to at most 100%, and its lead-in inside the run after the ramp-up', () => {
    const flags = fc.record(
      {
        slowViewers: fc.tuple(percent, rate).map(([share, { text }]) => `${share}%@${text}`),
        pausingViewers: percent.map((share) => `${share}%@20s/60s`),
        stuckViewers: percent.map((share) => `${share}%`),
        leadIn: fc.integer({ min: 0, max: 400 }).map((s) => `${s}s`),
      },
      { requiredKeys: [] },
    );
    const run = fc.record({ durationMs: fc.integer({ min: 1, max: 400_000 }), rampUpMs: fc.integer({ min: 0, max: 400_000 }) });
    let taken = 0;
    fc.assert(
      fc.property(flags, run, (given, span) => {
        let plan;
        try {
          plan = resolveViewerPlan(given, span);
        } catch (error) {
          expect(error).toBeInstanceOf(UsageError);
          return;
        }
        if (plan === undefined) {
          expect(Object.keys(given)).toEqual([]);
          return;
        }
        const groups = plan.behaviours.map((b) => b.group);
        expect(groups).toEqual(['slow', 'pausing', 'stuck'].filter((g) => groups.includes(g as 'slow')));
        for (const b of plan.behaviours) expect(b.share).toBeGreaterThan(0);
        expect(plan.behaviours.reduce((sum, b) => sum + b.share, 0)).toBeLessThanOrEqual(1 + 1e-12);
        expect(plan.leadInMs).toBeGreaterThanOrEqual(Math.max(1_000, span.rampUpMs));
        expect(plan.leadInMs + 1_000).toBeLessThanOrEqual(span.durationMs);
        taken++;
      }),
      { numRuns: 1_000 },
    );
    // The property says something only if plans were taken, not every one refused.
    expect(taken).toBeGreaterThan(50);
  });
});
