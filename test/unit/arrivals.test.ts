import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arrivalTimes, cameraPicker, planArrivals, type ArrivalPlanInput } from '../../src/arrivals.js';
import { seededRandom } from '../../src/random.js';

// The open model's plan (issue 30), pure: Poisson arrivals, watch times, the lowest free slot, dropped arrivals and
// cameras by popularity, all from the seed.

const input = (over: Partial<ArrivalPlanInput> = {}): ArrivalPlanInput => ({
  rates: [{ durationMs: 60_000, perSecond: 20 }],
  watch: { kind: 'fixed', ms: 5_000 },
  slots: 200,
  cameras: 50,
  popularity: { kind: 'uniform' },
  seed: 1,
  ...over,
});

describe('the open model: arrivals planned whole from the seed', () => {
  it('arrivals per span are within the Poisson expectation (mean λT, 4 standard deviations), none outside the spans', () => {
    const rates = [
      { durationMs: 30_000, perSecond: 5 },
      { durationMs: 60_000, perSecond: 20 },
      { durationMs: 10_000, perSecond: 0 },
    ];
    for (let seed = 1; seed <= 20; seed++) {
      const times = arrivalTimes(rates, seededRandom(seed));
      const first = times.filter((t) => t < 30_000).length;
      const second = times.filter((t) => t >= 30_000 && t < 90_000).length;
      expect(Math.abs(first - 150)).toBeLessThanOrEqual(4 * Math.sqrt(150));
      expect(Math.abs(second - 1200)).toBeLessThanOrEqual(4 * Math.sqrt(1200));
      expect(times.filter((t) => t >= 90_000)).toEqual([]);
      expect(times).toEqual([...times].sort((a, b) => a - b));
    }
  });

  it('the same seed, the same plan; another seed, another', () => {
    expect(planArrivals(input())).toEqual(planArrivals(input()));
    expect(planArrivals(input({ seed: 2 }))).not.toEqual(planArrivals(input()));
  });

  it("never more than --max-streams viewers open; each arrival takes its camera's lowest free slot, or is dropped when the cap is reached", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 0, max: 1000 }),
        (cap, perSecond, cameras, seed) => {
          const plan = planArrivals(input({ slots: cap, cameras, rates: [{ durationMs: 10_000, perSecond }], watch: { kind: 'exp', meanMs: 2_000 }, seed }));
          const all = plan.slots.flatMap(({ camera, visits }, slot) => visits.map((v) => ({ ...v, camera, slot })));
          const openAt = (at: number) => all.filter((o) => o.fromMs <= at && at < o.toMs);
          for (const v of all) {
            const open = openAt(v.fromMs).filter((o) => o !== v);
            expect(open.length).toBeLessThan(cap);
            // Every lower slot of its camera was taken at the instant this one was chosen.
            const ownSlots = all.filter((o) => o.camera === v.camera && o.slot < v.slot).map((o) => o.slot);
            for (const lower of new Set(ownSlots)) expect(open.some((o) => o.slot === lower)).toBe(true);
            expect(v.toMs).toBeLessThanOrEqual(10_000);
          }
          for (const at of plan.dropped) expect(openAt(at)).toHaveLength(cap);
          expect(plan.slots.map((s) => s.camera)).toEqual([...plan.slots.map((s) => s.camera)].sort((a, b) => a - b));
          for (const { visits } of plan.slots) {
            expect(visits.length).toBeGreaterThan(0);
            for (let i = 1; i < visits.length; i++)
              expect((visits[i] as { fromMs: number }).fromMs).toBeGreaterThanOrEqual((visits[i - 1] as { toMs: number }).toMs);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('zipf: the first camera the most watched, in proportion 1/k^s; uniform: each alike', () => {
    const count = (pick: () => number, cameras: number) => {
      const n = new Array<number>(cameras).fill(0);
      for (let i = 0; i < 20_000; i++) {
        const camera = pick();
        n[camera] = (n[camera] ?? 0) + 1;
      }
      return n;
    };
    const zipf = count(cameraPicker(10, { kind: 'zipf', s: 1 }, seededRandom(3)), 10);
    // Camera 1 has twice camera 2's share under s = 1, and ten times camera 10's.
    expect((zipf[0] as number) / (zipf[1] as number)).toBeGreaterThan(1.7);
    expect((zipf[0] as number) / (zipf[1] as number)).toBeLessThan(2.3);
    expect((zipf[0] as number) / (zipf[9] as number)).toBeGreaterThan(7);
    const uniform = count(cameraPicker(10, { kind: 'uniform' }, seededRandom(3)), 10);
    for (const n of uniform) expect(Math.abs(n - 2_000)).toBeLessThan(300);
  });
});
