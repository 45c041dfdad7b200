import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { METRICS } from '../../src/report/threshold-metrics.js';
import { parseThreshold } from '../../src/report/thresholds.js';

describe('threshold parsing', () => {
  it.each([
    ['streams.opened_ratio>=1', { metric: 'streams.opened_ratio', operator: '>=', value: 1 }],
    ['fps.avg >= 4', { metric: 'fps.avg', operator: '>=', value: 4 }],
    ['fps.p5>=3', { metric: 'fps.p5', operator: '>=', value: 3 }],
    ['frame_gap_ms.p99<=1500', { metric: 'frame_gap_ms.p99', operator: '<=', value: 1500 }],
    ['ttff_ms.p95<3000', { metric: 'ttff_ms.p95', operator: '<', value: 3000 }],
    ['reconnections<=2', { metric: 'reconnections', operator: '<=', value: 2 }],
    ['errors==0', { metric: 'errors', operator: '==', value: 0 }],
    ['corrupt_frames==0', { metric: 'corrupt_frames', operator: '==', value: 0 }],
    ['uptime.min>=0.99', { metric: 'uptime.min', operator: '>=', value: 0.99 }],
    ['  bandwidth_mbps > .5 ', { metric: 'bandwidth_mbps', operator: '>', value: 0.5 }],
  ])('%s', (text, expected) => {
    expect(parseThreshold(text)).toMatchObject(expected);
  });

  it.each([
    ['fps.average>=4', /unknown metric 'fps.average'; known: streams.opened, /],
    ['fps.avg=>4', /expected METRIC OP VALUE/],
    ['fps.avg>=', /expected METRIC OP VALUE/],
    ['fps.avg>=fast', /'fast' is not a number/],
    ['fps.avg>=4fps', /'4fps' is not a number/],
    ['>=4', /expected METRIC OP VALUE/],
    ['fps.avg!=4', /expected METRIC OP VALUE/],
  ])('rejects %j with a usage error', (text, message) => {
    expect(() => parseThreshold(text)).toThrow(UsageError);
    expect(() => parseThreshold(text)).toThrow(message);
  });

  it('every metric has a unit and a description', () => {
    for (const metric of METRICS) {
      expect(metric.unit).not.toBe('');
      expect(metric.description).not.toBe('');
    }
    expect(new Set(METRICS.map((m) => m.name)).size).toBe(METRICS.length);
  });
});
