import type { Camera } from '../../src/cameras/camera.js';
import { expect } from 'vitest';
import type { Report } from '../../src/report/report-types.js';
import type { FleetStats } from '../../src/sim/fleet-stats.js';
import type { RunningSimulator } from '../../src/sim/simulator.js';

/** The simulated fleet's active cameras, as the engine takes them from a camera list. */
export function activeCameras(sim: RunningSimulator): Camera[] {
  return sim.cameras.filter((c) => c.status === 1).map((c) => ({ id: String(c.id), name: c.name, streamUrl: c.fr_url ?? '' }));
}

/**
 * Every frame the fleet sent is in the report, in all and per camera (a camera's frames over its streams), 4 per
 * visit when the fleet stops each connection after 4, with no reconnection.
 */
export function expectFourFramesPerVisit(report: Report, fleet: FleetStats, visits: number): void {
  expect(fleet.totals.connections).toBe(visits);
  expect(fleet.totals.framesSent).toBe(4 * visits);
  expect(report.summary.totalFrames).toBe(fleet.totals.framesSent);
  for (const camera of fleet.cameras) {
    const counted = report.streams.filter((s) => s.cameraId === String(camera.id)).reduce((n, s) => n + s.frames, 0);
    expect(counted, `camera ${camera.id}`).toBe(camera.framesSent);
  }
  expect(report.summary.totalReconnections).toBe(0);
}
