import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { runConfig, viewersConfig } from '../../src/options/describe-options.js';
import { resolveRunOptions, type RunFlags } from '../../src/options/run-options.js';
import { ENGINE_FLAGS } from '../helpers/engine-flags.js';

const flags = (overrides: Partial<RunFlags>): RunFlags => ({
  ...ENGINE_FLAGS,
  duration: '300',
  rampUp: '0',
  threshold: [],
  ...overrides,
});
const resolve = (overrides: Partial<RunFlags>) => resolveRunOptions(flags(overrides), {}, false, new Date());
const paths = { report: 'r.json', log: 'r.log' };

describe('RunOptions.viewers and .seed, and the config a report records', () => {
  it('without a group flag: no viewers (the property absent), seed 1, and the config says so', () => {
    const options = resolve({});
    expect('viewers' in options).toBe(false);
    expect(options.seed).toBe(1);
    const config = runConfig(options, 10, paths);
    expect(config.seed).toBe(1);
    expect(config.viewers).toBeNull();
  });

  it('every group, its lead-in and the seed, in RunOptions and in the config', () => {
    const options = resolve({
      duration: '10m',
      rampUp: '3m',
      slowViewers: '20%@1Mbps',
      pausingViewers: '5%@20s/60s',
      stuckViewers: '2.5%',
      seed: '42',
    });
    expect(options.seed).toBe(42);
    expect(options.viewers).toEqual({
      behaviours: [
        { group: 'slow', share: 0.2, bytesPerSecond: 125_000 },
        { group: 'pausing', share: 0.05, pauseMs: 20_000, everyMs: 60_000 },
        { group: 'stuck', share: 0.025 },
      ],
      // A quarter of 10 min is 2.5 min, before the 3 min ramp-up's end.
      leadInMs: 180_000,
    });
    const config = runConfig(options, 10, paths);
    expect(config.seed).toBe(42);
    expect(config.viewers).toEqual({
      leadInSeconds: 180,
      slow: { share: 0.2, bytesPerSecond: 125_000 },
      pausing: { share: 0.05, pauseSeconds: 20, everySeconds: 60 },
      stuck: { share: 0.025 },
    });
    // The config is JSON: it survives the round trip the report file makes.
    expect(JSON.parse(JSON.stringify(config))).toEqual(config);
  });

  it('a group not asked for is null in the config', () => {
    expect(viewersConfig({ behaviours: [{ group: 'stuck', share: 0.1 }], leadInMs: 30_000 })).toEqual({
      leadInSeconds: 30,
      slow: null,
      pausing: null,
      stuck: { share: 0.1 },
    });
    expect(viewersConfig(undefined)).toBeNull();
  });

  it('the groups are checked against the run as resolveRunOptions reads it', () => {
    expect(resolve({ stuckViewers: '10%', leadIn: '45s', duration: '60s', rampUp: '30s' }).viewers?.leadInMs).toBe(45_000);
    expect(() => resolve({ stuckViewers: '10%', leadIn: '20s', duration: '60s', rampUp: '30s' })).toThrow(UsageError);
    expect(() => resolve({ leadIn: '20s' })).toThrow('--lead-in applies to viewer groups');
    expect(() => resolve({ seed: '-1' })).toThrow('--seed expects a whole number from 0 to 4294967295');
  });
});
