import type { Camera } from '../../src/cameras/camera.js';
import type { RunningSimulator } from '../../src/sim/simulator.js';

/** The simulated fleet's active cameras, as the engine takes them from a camera list. */
export function activeCameras(sim: RunningSimulator): Camera[] {
  return sim.cameras.filter((c) => c.status === 1).map((c) => ({ id: String(c.id), name: c.name, streamUrl: c.fr_url ?? '' }));
}
