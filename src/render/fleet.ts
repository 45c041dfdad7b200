import type { RunningSimulator } from '../sim/simulator.js';

/** Pure: what the fleet is, as the lines printed when it starts. */
export function describeFleet(sim: RunningSimulator): string[] {
  const { options } = sim;
  const stats = sim.stats();
  const active = stats.cameras.filter((camera) => camera.status === 1);
  const faulty = active.filter((camera) => camera.faults.length > 0);
  const lines = [
    `camera-load simulator: ${options.cameras} active + ${options.inactive} inactive cameras, ` + `${options.fps} fps, ${options.frameBytes}-byte JPEG frames`,
    `Camera API: ${sim.apiUrl}`,
    `Stats:      ${sim.statsUrl}`,
  ];
  if (options.maxClients !== undefined) lines.push(`Capacity:   ${options.maxClients} concurrent streams, then 503`);
  if (options.bandwidthBytesPerSecond !== undefined) {
    lines.push(`Bandwidth:  ${(options.bandwidthBytesPerSecond / 1e6).toFixed(2)} MB/s shared by all streams`);
  }
  if (options.requireToken !== undefined) lines.push('Auth:       Authorization: Bearer <token> required');
  if (faulty.length > 0) {
    lines.push(`Faults on ${faulty.length} of ${active.length} active cameras:`);
    for (const camera of faulty.slice(0, 10)) lines.push(`  camera ${camera.id}: ${camera.faults.join(', ')}`);
    if (faulty.length > 10) lines.push(`  … and ${faulty.length - 10} more (see ${sim.statsUrl})`);
  }
  return lines;
}

/** Pure: one status line, with the rate since the previous one. */
export function statusLine(sim: RunningSimulator, previousBytes: number, seconds: number): string {
  const stats = sim.stats();
  const { totals } = stats;
  const rate = (totals.bytesSent - previousBytes) / seconds / 1e6;
  return (
    `[sim ${stats.uptimeSeconds.toFixed(0)}s] open streams ${stats.openStreams} (peak ${stats.peakOpenStreams}), ` +
    `frames sent ${totals.framesSent}, ${rate.toFixed(2)} MB/s, rejected ${totals.rejected}, ` +
    `dropped for slow clients ${totals.framesDropped}`
  );
}

/** Pure: the fleet's totals once it stopped. */
export function stoppedLine(sim: RunningSimulator): string {
  const { totals } = sim.stats();
  return (
    `Stopped. Served ${totals.connections} streams, ${totals.framesSent} frames, ` +
    `${(totals.bytesSent / 1e6).toFixed(1)} MB; rejected ${totals.rejected}, dropped for slow clients ${totals.framesDropped}.`
  );
}
