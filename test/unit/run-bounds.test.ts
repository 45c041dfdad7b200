import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Camera } from '../../src/cameras/camera.js';
import { settleWithin } from '../../src/run/bounded.js';
import { ExitCode, mostUrgent } from '../../src/exit-codes.js';
import { Runner } from '../../src/run/runner.js';
import { startFixtureServer } from '../helpers/fixture-server.js';
import { testPlan } from '../helpers/run-plan.js';

describe('exit-code precedence: 130, then 70, then 5, then 4, then 1', () => {
  it.each([
    [[ExitCode.OK], ExitCode.OK],
    [[ExitCode.THRESHOLD_FAILED, ExitCode.CLIENT_SATURATED], ExitCode.CLIENT_SATURATED],
    [[ExitCode.CLIENT_SATURATED, ExitCode.OUTPUT_ELSEWHERE, ExitCode.THRESHOLD_FAILED], ExitCode.OUTPUT_ELSEWHERE],
    [[ExitCode.OUTPUT_ELSEWHERE, ExitCode.INTERNAL], ExitCode.INTERNAL],
    [[ExitCode.OUTPUT_ELSEWHERE, ExitCode.INTERRUPTED, ExitCode.INTERNAL], ExitCode.INTERRUPTED],
    [[], ExitCode.OK],
  ])('%j -> %i', (codes, expected) => {
    expect(mostUrgent(codes)).toBe(expected);
  });

  it('does not depend on the order the codes come in, and is always one of them (or 0)', () => {
    const codes = Object.values(ExitCode);
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...codes), { maxLength: 6 }), (list) => {
        const winner = mostUrgent(list);
        expect(mostUrgent([...list].reverse())).toBe(winner);
        expect([...list, ExitCode.OK]).toContain(winner);
      }),
      { numRuns: 200 },
    );
  });
});

describe('settleWithin: a wait that cannot outlast its bound', () => {
  afterEach(() => {
    vi.useRealTimers();
  });
  const never = new Promise<string>(() => undefined);

  it('the result when the work settles in time; its rejection passed on', async () => {
    const signal = new AbortController().signal;
    expect(await settleWithin(Promise.resolve('done'), 1_000, signal, 100)).toBe('done');
    await expect(settleWithin(Promise.reject(new Error('boom')), 1_000, signal, 100)).rejects.toThrow('boom');
  });

  it('undefined at the limit when the work never settles', async () => {
    vi.useFakeTimers();
    const waiting = settleWithin(never, 16_000, new AbortController().signal, 2_500);
    await vi.advanceTimersByTimeAsync(15_999);
    let settled = false;
    void waiting.then(() => (settled = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await waiting).toBeUndefined();
  });

  it('undefined the grace time after an abort, long before the limit', async () => {
    vi.useFakeTimers();
    const controller = new AbortController();
    const waiting = settleWithin(never, 600_000, controller.signal, 2_500);
    await vi.advanceTimersByTimeAsync(1_000);
    controller.abort();
    await vi.advanceTimersByTimeAsync(2_500);
    expect(await waiting).toBeUndefined();
  });
});

describe('Runner.snapshot: what a run measured so far, should it never return', () => {
  it('every planned stream with its live counts, the timeline so far, and an end no later than planned', async () => {
    const frame = Buffer.concat([Buffer.from([0xff, 0xd8]), Buffer.alloc(500, 1), Buffer.from([0xff, 0xd9])]);
    const server = await startFixtureServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'multipart/x-mixed-replace; boundary=frame' });
      const timer = setInterval(
        () =>
          res.write(Buffer.concat([Buffer.from(`--frame\r\nContent-Type: image/jpeg\r\nContent-Length: ${frame.length}\r\n\r\n`), frame, Buffer.from('\r\n')])),
        20,
      );
      res.on('close', () => {
        clearInterval(timer);
      });
    });
    const cameras: Camera[] = [0, 1, 2].map((i) => ({ id: `c${i}`, name: `cam ${i}`, streamUrl: `${server.url}/${i}` }));
    const runner = new Runner(testPlan(cameras, { durationMs: 10_000, intervalMs: 100 }));
    expect(runner.snapshot(false).streams).toEqual([]);
    const stop = new AbortController();
    const running = runner.run(stop.signal);
    await new Promise((resolve) => setTimeout(resolve, 600));
    const snapshot = runner.snapshot(true);
    stop.abort();
    await running;
    await server.close();
    expect(snapshot.interrupted).toBe(true);
    expect(snapshot.streams.map((s) => s.cameraId)).toEqual(['c0', 'c1', 'c2']);
    for (const stream of snapshot.streams) expect(stream.frames).toBeGreaterThan(5);
    expect(snapshot.timeline.length).toBeGreaterThanOrEqual(3);
    expect(snapshot.elapsedMs).toBeGreaterThanOrEqual(500);
    expect(snapshot.elapsedMs).toBeLessThanOrEqual(10_000);
  });
});
