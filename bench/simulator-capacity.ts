// How many concurrent 5 fps × 20 KB streams the simulator serves from its one core.
// Run: npm run bench -- simulator   (or node --import tsx bench/simulator-capacity.ts 500 1000 2000)
import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';
import { startFleetProcess } from '../src/sim/fleet-process.js';

interface Totals {
  framesSent: number;
  bytesSent: number;
  framesDropped: number;
}

async function fleetTotals(statsUrl: string): Promise<Totals> {
  const response = await request(statsUrl);
  return ((await response.body.json()) as { totals: Totals }).totals;
}

/** Opens `streams` raw TCP readers that only count bytes: the cheapest possible client. */
function openDrains(port: number, paths: string[], streams: number): { sockets: Socket[]; received: () => number } {
  let received = 0;
  const sockets: Socket[] = [];
  for (let i = 0; i < streams; i++) {
    const socket = connect(port, '127.0.0.1');
    socket.write(`GET ${paths[i % paths.length] ?? '/'} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
    socket.on('data', (chunk: Buffer) => (received += chunk.length));
    socket.on('error', () => undefined);
    sockets.push(socket);
  }
  return { sockets, received: () => received };
}

export interface CapacityRow {
  streams: number;
  fpsPerStream: number;
  deliveredShare: number;
  simulatorCpuPercent: number;
  framesDropped: number;
  mbPerSecond: number;
  /** What the readers received, as a share of what the simulator counted as sent (HTTP framing included). */
  receivedShare: number;
}

export async function measureSimulatorCapacity(levels: number[], seconds = 8): Promise<CapacityRow[]> {
  const rows: CapacityRow[] = [];
  for (const streams of levels) {
    const fleet = await startFleetProcess(['--cameras', String(streams), '--inactive', '0', '--fps', '5', '--frame-size', '20KB']);
    const paths = Array.from({ length: streams }, (_, i) => `/fr/${101 + i}/stream`);
    const drains = openDrains(fleet.port, paths, streams);
    await sleep(2_000); // warm-up: connections open, timers settle
    const before = await fleetTotals(fleet.statsUrl);
    const cpuBefore = fleet.cpuSeconds();
    const receivedBefore = drains.received();
    const startedAt = performance.now();
    await sleep(seconds * 1000);
    const elapsed = (performance.now() - startedAt) / 1000;
    const after = await fleetTotals(fleet.statsUrl);
    const cpu = fleet.cpuSeconds() - cpuBefore;
    const received = drains.received() - receivedBefore;
    for (const socket of drains.sockets) socket.destroy();
    await fleet.stop();
    const frames = after.framesSent - before.framesSent;
    rows.push({
      streams,
      fpsPerStream: frames / elapsed / streams,
      deliveredShare: frames / (elapsed * streams * 5),
      simulatorCpuPercent: (cpu / elapsed) * 100,
      framesDropped: after.framesDropped - before.framesDropped,
      mbPerSecond: (after.bytesSent - before.bytesSent) / elapsed / 1e6,
      receivedShare: received / (after.bytesSent - before.bytesSent),
    });
  }
  return rows;
}

export function formatCapacityTable(rows: CapacityRow[]): string {
  const lines = [
    'Simulator capacity: 5 fps × 20 KB streams, raw TCP readers in another process',
    '| streams | fps per stream | frames sent / nominal | simulator CPU (one core = 100%) | MB/s sent | bytes read / sent | frames dropped |',
    '|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.streams} | ${r.fpsPerStream.toFixed(2)} | ${(r.deliveredShare * 100).toFixed(1)}% | ` +
        `${r.simulatorCpuPercent.toFixed(0)}% | ${r.mbPerSecond.toFixed(1)} | ${r.receivedShare.toFixed(3)} | ${r.framesDropped} |`,
    );
  }
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  const levels = process.argv
    .slice(2)
    .map(Number)
    .filter((n) => n > 0);
  const rows = await measureSimulatorCapacity(levels.length > 0 ? levels : [500, 1000, 2000, 3000]);
  console.log(formatCapacityTable(rows));
}
