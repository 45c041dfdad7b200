import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { assignBehaviours } from '../../src/sim/camera-behaviour.js';
import { buildCatalog, buildPage } from '../../src/sim/camera-catalog.js';
import { parseFaultRule } from '../../src/options/fault-flags.js';
import { parseInteger } from '../../src/options/units.js';
import { resolveSimulatorOptions } from '../../src/sim/options.js';
import { buildPart, streamContentType } from '../../src/sim/wire-format.js';
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

describe('simulator options', () => {
  it('fills defaults', () => {
    expect(resolveSimulatorOptions()).toMatchObject({ host: '127.0.0.1', port: 0, cameras: 20, fps: 5, frameBytes: 30_000 });
  });
  it.each([{ fps: 0 }, { cameras: -1 }, { frameBytes: 0 }, { port: 70_000 }, { pageSize: 0 }, { requireToken: '' }])(
    'rejects %j',
    (bad) => {
      expect(() => resolveSimulatorOptions(bad)).toThrow(UsageError);
    },
  );
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
});
