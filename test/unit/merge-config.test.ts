import { describe, expect, it } from 'vitest';
import { mergeConfigs } from '../../src/report/merge-config.js';

const shard = (index: number, more: Record<string, unknown> = {}): Record<string, unknown> => ({
  maxStreams: 10,
  thresholds: ['fps.p5>=4'],
  shard: { index, count: 2 },
  output: `/reports/shard-${index}.json`,
  log: `/reports/shard-${index}.log`,
  html: null,
  junit: null,
  metrics: null,
  backoff: { baseMs: 500, factor: 2, maxMs: 30_000 },
  saturationCpuPercent: 90,
  ...more,
});

describe('mergeConfigs: a merged report`s settings', () => {
  it.each([
    {
      case: 'shards alike: the common settings, the merge`s thresholds in their place, each shard`s share, files and thresholds apart',
      configs: [shard(1), shard(2)],
      thresholds: ['fps.avg>=4'],
      common: { maxStreams: 10, thresholds: ['fps.avg>=4'], backoff: { baseMs: 500, factor: 2, maxMs: 30_000 }, saturationCpuPercent: 90 },
      differing: [],
    },
    {
      case: 'a setting the shards disagree on is named, and left out of the common ones rather than shown as shard 1`s',
      configs: [shard(1), shard(2, { saturationCpuPercent: 70 })],
      thresholds: ['fps.p5>=4'],
      common: { maxStreams: 10, thresholds: ['fps.p5>=4'], backoff: { baseMs: 500, factor: 2, maxMs: 30_000 } },
      differing: ['saturationCpuPercent'],
    },
    {
      case: 'a setting one shard lacks (an older camera-load) differs; nested values compare by content, not key order',
      configs: [shard(1, { freezeTimeoutSeconds: 2 }), shard(2, { backoff: { maxMs: 30_000, factor: 2, baseMs: 500 } })],
      thresholds: [],
      common: { maxStreams: 10, thresholds: [], backoff: { baseMs: 500, factor: 2, maxMs: 30_000 }, saturationCpuPercent: 90 },
      differing: ['freezeTimeoutSeconds'],
    },
  ])('$case', ({ configs, thresholds, common, differing }) => {
    const merged = mergeConfigs(configs, thresholds);
    expect(merged.common).toEqual(common);
    expect(merged.differing).toEqual(differing);
    merged.perShard.forEach((own, i) => {
      const config = configs[i] ?? {};
      expect(own.shard).toEqual(config.shard);
      expect(own.output).toBe(config.output);
      expect(own.thresholds).toEqual(config.thresholds);
      for (const key of differing) expect(own[key]).toEqual(config[key]);
      // Every setting of the shard is in one place or the other, and none in both.
      for (const key of Object.keys(config)) expect(Object.hasOwn(own, key) !== (Object.hasOwn(merged.common, key) && key !== 'thresholds')).toBe(true);
    });
  });

  it('a config without thresholds (an older report) still gets the merge`s', () => {
    expect(mergeConfigs([{ maxStreams: 4 }], ['fps.avg>=4']).common).toEqual({ maxStreams: 4, thresholds: ['fps.avg>=4'] });
  });
});
