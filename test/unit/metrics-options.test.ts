import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { resolveMetricsOptions } from '../../src/options/run-options.js';

describe('--metrics-port, --metrics-host, --metrics-per-camera', () => {
  it('no endpoint without --metrics-port', () => {
    expect(resolveMetricsOptions({})).toBeUndefined();
    expect(resolveMetricsOptions({ metricsHost: '127.0.0.1' })).toBeUndefined();
  });

  it.each([
    [{ metricsPort: '0' }, { port: 0, host: '127.0.0.1', perCamera: false }],
    [
      { metricsPort: '9464', metricsHost: '0.0.0.0', metricsPerCamera: true },
      { port: 9464, host: '0.0.0.0', perCamera: true },
    ],
    [
      { metricsPort: '65535', metricsHost: 'localhost' },
      { port: 65_535, host: 'localhost', perCamera: false },
    ],
    [
      { metricsPort: '9464', metricsHost: '[::1]' },
      { port: 9464, host: '::1', perCamera: false },
    ],
    [
      { metricsPort: '9464', metricsHost: 'metrics.example.internal' },
      { port: 9464, host: 'metrics.example.internal', perCamera: false },
    ],
  ])('%j → %j', (flags, expected) => {
    expect(resolveMetricsOptions(flags)).toEqual(expected);
  });

  it.each([
    [{ metricsPort: '65536' }, '--metrics-port'],
    [{ metricsPort: '-1' }, '--metrics-port'],
    [{ metricsPort: 'http' }, '--metrics-port'],
    [{ metricsPort: '9464', metricsHost: 'not a host' }, '--metrics-host'],
    [{ metricsPort: '9464', metricsHost: 'http://127.0.0.1' }, '--metrics-host'],
    [{ metricsPort: '9464', metricsHost: '' }, '--metrics-host'],
    [{ metricsPerCamera: true }, '--metrics-per-camera needs --metrics-port'],
  ])('%j is a usage error naming %s', (flags, words) => {
    expect(() => resolveMetricsOptions(flags)).toThrow(UsageError);
    expect(() => resolveMetricsOptions(flags)).toThrow(words);
  });
});
