import { describe, expect, it } from 'vitest';
import { parseDuration, parseInteger, parsePositiveNumber, parseRate, parseShare, parseSize } from '../../src/options/units.js';
import { UsageError } from '../../src/errors.js';

describe('option units', () => {
  it.each([
    ['300', 300_000],
    ['90s', 90_000],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['250ms', 250],
    ['1.5s', 1_500],
    [' 2M ', 120_000],
  ])('duration %s -> %i ms', (text, ms) => {
    expect(parseDuration(text, '--duration')).toBe(ms);
  });

  it.each(['2147483.648', '596524h', '99999999999'])('refuses duration %s past the longest timer Node keeps (it would fire at once)', (text) => {
    expect(() => parseDuration(text, '--duration')).toThrow(/--duration takes at most 24 days/);
  });

  it('takes the longest timer Node keeps', () => {
    expect(parseDuration('2147483.647', '--duration')).toBe(2 ** 31 - 1);
  });

  it.each(['', 'abc', '-5', '5x', '5 m s', '1e3'])('rejects duration %j with a usage error naming the flag', (text) => {
    expect(() => parseDuration(text, '--duration')).toThrow(UsageError);
    expect(() => parseDuration(text, '--duration')).toThrow(/--duration/);
  });

  it.each([
    ['30000', 30_000],
    ['30KB', 30_000],
    ['30kb', 30_000],
    ['1.5MB', 1_500_000],
    ['64KiB', 65_536],
    ['1MiB', 1_048_576],
    ['20 KB', 20_000],
  ])('size %s -> %i bytes', (text, bytes) => {
    expect(parseSize(text, '--frame-size')).toBe(bytes);
  });

  it.each(['', 'big', '-1KB', '30XB'])('rejects size %j', (text) => {
    expect(() => parseSize(text, '--frame-size')).toThrow(UsageError);
  });

  it.each([
    ['40MB/s', 40e6],
    ['40 MB/s', 40e6],
    ['40MiB/s', 40 * 1024 ** 2],
    ['320Mbps', 40e6],
    ['320Mbit/s', 40e6],
    ['1000/s', 1000],
  ])('rate %s -> %d B/s', (text, rate) => {
    expect(parseRate(text, '--bandwidth')).toBeCloseTo(rate, 6);
  });

  it.each(['', '40', '40MB', 'fast', 'Mbps', '/s'])('rejects rate %j', (text) => {
    expect(() => parseRate(text, '--bandwidth')).toThrow(UsageError);
  });

  it.each([
    ['10%', 0.1],
    ['0.1', 0.1],
    ['1', 1],
    ['0', 0],
    ['100%', 1],
  ])('share %s -> %d', (text, share) => {
    expect(parseShare(text, '--fault-share')).toBeCloseTo(share, 10);
  });

  it.each(['150%', '1.5', '-0.1', 'half', ''])('rejects share %j', (text) => {
    expect(() => parseShare(text, '--fault-share')).toThrow(UsageError);
  });

  it('integers and positive numbers have ranges', () => {
    expect(parseInteger('50', '--n', 1)).toBe(50);
    expect(() => parseInteger('0', '--n', 1)).toThrow(/--n expects a whole number >= 1; got '0'/);
    expect(() => parseInteger('1.5', '--n', 1)).toThrow(UsageError);
    expect(() => parseInteger('70000', '--port', 0, 65_535)).toThrow(/from 0 to 65535/);
    expect(parsePositiveNumber('2.5', '--fps')).toBe(2.5);
    expect(() => parsePositiveNumber('0', '--fps')).toThrow(UsageError);
    expect(() => parsePositiveNumber('abc', '--fps')).toThrow(UsageError);
    expect(() => parsePositiveNumber('2000', '--fps', 1000)).toThrow(/up to 1000/);
  });
});
