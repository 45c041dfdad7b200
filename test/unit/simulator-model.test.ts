import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { assignBehaviours } from '../../src/sim/camera-behaviour.js';
import { buildCatalog, buildPage } from '../../src/sim/camera-catalog.js';
import { parseFaultRule } from '../../src/options/fault-flags.js';
import { parseInteger } from '../../src/options/units.js';
import { resolveSimulatorOptions } from '../../src/sim/options.js';
import { simulatorOptionsFromFlags, type SimulateFlags } from '../../src/options/simulate-options.js';
import { buildPart, buildPartHead, streamContentType, timestampLine } from '../../src/sim/wire-format.js';
import { UsageError } from '../../src/errors.js';

const ORIGIN = 'http://127.0.0.1:1234';

describe('camera catalog and pages', () => {
  it('has exactly the requested status mix for any counts', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 300 }), (active, inactive) => {
        const cameras = buildCatalog(active, inactive, ORIGIN);
        expect(cameras.filter((c) => c.status === 1)).toHaveLength(active);
        expect(cameras.filter((c) => c.status === 0)).toHaveLength(inactive);
        expect(cameras.filter((c) => c.fr_url === null)).toHaveLength(Math.floor(inactive / 2));
        expect(cameras.filter((c) => c.status === 1).every((c) => c.fr_url?.startsWith(ORIGIN))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('pages cover the catalog exactly once, with next/previous links', () => {
    const cameras = buildCatalog(23, 2, ORIGIN);
    const api = `${ORIGIN}/api/v1/camera/`;
    const p1 = buildPage(cameras, 1, 10, api);
    const p3 = buildPage(cameras, 3, 10, `${api}?page=3`);
    expect(p1?.next).toBe(`${api}?page=2`);
    expect(p1?.previous).toBeNull();
    expect(p3?.results).toHaveLength(5);
    expect(p3?.next).toBeNull();
    expect(p3?.previous).toBe(`${api}?page=2`);
    expect(buildPage(cameras, 2, 10, `${api}?page=2`)?.previous).toBe(api);
    expect(buildPage(cameras, 4, 10, api)).toBeUndefined();
    expect(buildPage(cameras, 0, 10, api)).toBeUndefined();
    expect(buildPage([], 1, 10, api)).toEqual({ count: 0, next: null, previous: null, results: [] });
  });
});

describe('fault placement', () => {
  const ids = Array.from({ length: 50 }, (_, i) => 101 + i);
  it('affects exactly round(share × cameras), deterministically per seed', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 1000 }), (share, seed) => {
        const a = assignBehaviours(ids, { dropEveryFrames: { value: 10, share } }, seed);
        const dropped = [...a.values()].filter((b) => b.dropEveryFrames === 10).length;
        expect(dropped).toBe(Math.round(share * ids.length));
        expect(assignBehaviours(ids, { dropEveryFrames: { value: 10, share } }, seed)).toEqual(a);
      }),
      { numRuns: 100 },
    );
  });

  it('leaves cameras without a fault clean', () => {
    const behaviours = assignBehaviours(ids, {}, 1);
    for (const b of behaviours.values()) expect(b).toEqual({ contentLength: true, lineEnding: '\r\n' });
  });
});

describe('fault flags', () => {
  const int = (v: string, f: string) => parseInteger(v, f, 1);
  it.each([
    ['50', { value: 50, share: 1 }],
    ['50@10%', { value: 50, share: 0.1 }],
    ['50@0.25', { value: 50, share: 0.25 }],
  ])('%s', (text, rule) => {
    expect(parseFaultRule(text, '--drop-every', 1, int)).toEqual(rule);
  });
  it.each(['@10%', '50@', '50@200%', 'x@10%'])('rejects %j', (text) => {
    expect(() => parseFaultRule(text, '--drop-every', 1, int)).toThrow(UsageError);
  });
});

describe('freeze and lag flags', () => {
  const base: SimulateFlags = {
    host: '127.0.0.1',
    port: '0',
    cameras: '4',
    inactive: '0',
    pageSize: '25',
    fps: '5',
    frameSize: '30KB',
    distinctFrames: '10',
    seed: '1',
    faultShare: '25%',
    statusInterval: '10s',
    slowClient: 'drop',
  };
  const faults = (extra: Partial<SimulateFlags>) => simulatorOptionsFromFlags({ ...base, ...extra }).faults;

  it('parses FRESH:REPEAT and STEP:MAX, with or without a share', () => {
    expect(faults({ freeze: '25:10' })?.freeze).toEqual({ value: { freshFrames: 25, repeatFrames: 10 }, share: 0.25 });
    expect(faults({ freeze: '1:1@50%' })?.freeze).toEqual({ value: { freshFrames: 1, repeatFrames: 1 }, share: 0.5 });
    expect(faults({ lag: '200ms:3s' })?.lag).toEqual({ value: { stepMsPerSecond: 200, maxMs: 3000 }, share: 0.25 });
    expect(faults({ lag: '0.5s:10m@1' })?.lag).toEqual({ value: { stepMsPerSecond: 500, maxMs: 600_000 }, share: 1 });
    expect(faults({})).toEqual({});
  });

  it.each(['25', '25:', ':10', '0:10', '25:0', '25:10:5', 'a:b', '2.5:10', '25:10@200%', '25:10@'])('rejects --freeze %j', (freeze) => {
    expect(() => faults({ freeze })).toThrow(UsageError);
  });

  it.each(['200ms', '0ms:3s', '200ms:0', '200ms:11m', 'x:3s', '200ms:3s:1s', '-1s:3s', '200ms:3s@x'])('rejects --lag %j', (lag) => {
    expect(() => faults({ lag })).toThrow(UsageError);
  });

  it('marks the affected cameras in __stats fault labels', () => {
    const behaviours = assignBehaviours(
      [1, 2],
      { freeze: { value: { freshFrames: 5, repeatFrames: 4 }, share: 1 }, lag: { value: { stepMsPerSecond: 200, maxMs: 150 }, share: 1 } },
      1,
    );
    expect(behaviours.get(1)).toMatchObject({ freeze: { freshFrames: 5, repeatFrames: 4 }, lag: { stepMsPerSecond: 200, maxMs: 150 } });
  });
});

describe('simulator options', () => {
  it('fills defaults', () => {
    expect(resolveSimulatorOptions()).toMatchObject({ host: '127.0.0.1', port: 0, cameras: 20, fps: 5, frameBytes: 30_000 });
  });
  it.each([
    { fps: 0 },
    { cameras: -1 },
    { frameBytes: 0 },
    { port: 70_000 },
    { pageSize: 0 },
    { requireToken: '' },
    { faults: { freeze: { value: { freshFrames: 0, repeatFrames: 3 }, share: 1 } } },
    { faults: { freeze: { value: { freshFrames: 3, repeatFrames: 1.5 }, share: 1 } } },
    { faults: { lag: { value: { stepMsPerSecond: 0, maxMs: 100 }, share: 1 } } },
    { faults: { lag: { value: { stepMsPerSecond: 100, maxMs: 700_000 }, share: 1 } } },
    { faults: { lag: { value: { stepMsPerSecond: 100, maxMs: 100 }, share: 2 } } },
  ])('rejects %j', (bad) => {
    expect(() => resolveSimulatorOptions(bad)).toThrow(UsageError);
  });
});

describe('wire format', () => {
  it('builds a whole part, with and without Content-Length, CRLF or LF', () => {
    const body = Buffer.from([0xff, 0xd8, 1, 2, 0xff, 0xd9]);
    expect(buildPart(body, { contentLength: true, lineEnding: '\r\n' }).toString('latin1')).toBe(
      `--frame\r\nContent-Type: image/jpeg\r\nContent-Length: 6\r\n\r\n${body.toString('latin1')}\r\n`,
    );
    expect(buildPart(body, { contentLength: false, lineEnding: '\n' }).toString('latin1')).toBe(
      `--frame\nContent-Type: image/jpeg\n\n${body.toString('latin1')}\n`,
    );
    expect(streamContentType(undefined)).toBe('multipart/x-mixed-replace; boundary=frame');
  });

  it('splits a served part around its X-Timestamp line: epoch seconds with 6 decimals', () => {
    const head = buildPartHead(6, { contentLength: true, lineEnding: '\r\n' });
    expect(head.toString('latin1')).toBe('--frame\r\nContent-Type: image/jpeg\r\nContent-Length: 6\r\n');
    expect(timestampLine(1_733_247_357_123.456, '\r\n').toString('latin1')).toBe('X-Timestamp: 1733247357.123456\r\n\r\n');
    expect(timestampLine(1_000, '\n').toString('latin1')).toBe('X-Timestamp: 1.000000\n\n');
  });
});
