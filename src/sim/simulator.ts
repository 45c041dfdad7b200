import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UsageError } from '../errors.js';
import { CLEAN_BEHAVIOUR } from './camera-behaviour.js';
import { API_PATH, type SimCamera } from './camera-catalog.js';
import { FleetServer } from './fleet-server.js';
import type { FleetStats } from './fleet-stats.js';
import { buildFrameImages } from './frame-images.js';
import { resolveSimulatorOptions, type SimulatorOptions } from './options.js';
import { PartSets } from './part-sets.js';
import { StreamHub } from './stream-hub.js';
import { timestampLine } from './wire-format.js';
import { defined } from '../defined.js';

export interface RunningSimulator {
  /** The camera list endpoint, e.g. http://127.0.0.1:40123/api/v1/camera/ */
  apiUrl: string;
  statsUrl: string;
  port: number;
  options: SimulatorOptions;
  cameras: readonly SimCamera[];
  stats(): FleetStats;
  close(): Promise<void>;
}

/** Listens, or rejects with the usage error that says why not. */
async function listen(server: Server, host: string, port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      const where = `port ${port} on ${host}`;
      if (error.code === 'EADDRINUSE') reject(new UsageError(`${where} is already in use`, { cause: error }));
      else if (error.code === 'EACCES') reject(new UsageError(`${where} needs privileges to listen on`, { cause: error }));
      else if (error.code === 'EADDRNOTAVAIL') reject(new UsageError(`${host} is not an address of this machine`, { cause: error }));
      else reject(error);
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

/** Starts the simulated fleet on `host:port` (127.0.0.1, any free port by default). */
export async function startSimulator(partial: Partial<SimulatorOptions> = {}): Promise<RunningSimulator> {
  const options = resolveSimulatorOptions(partial);
  const parts = new PartSets(buildFrameImages({ count: options.distinctFrames, targetBytes: options.frameBytes, seed: options.seed }), options.frameBytes);
  const hub = new StreamHub({
    fps: options.fps,
    ...(options.maxSpeed ? { maxSpeed: true } : {}),
    partBytes: parts.averageBytes(CLEAN_BEHAVIOUR) + timestampLine(Date.now(), CLEAN_BEHAVIOUR.lineEnding).length,
    ...defined({ bandwidthBytesPerSecond: options.bandwidthBytesPerSecond }),
    slowClient: options.slowClient,
  });
  const fleet = new FleetServer(options, hub, parts);
  const server = createServer((req, res) => {
    fleet.handle(req, res);
  });
  server.keepAliveTimeout = 5_000;
  const port = await listen(server, options.host, options.port);
  const origin = `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`;
  const cameras = fleet.listCameras(origin);
  let closing: Promise<void> | undefined;
  return {
    apiUrl: `${origin}${API_PATH}`,
    statsUrl: `${origin}/__stats`,
    port,
    options,
    cameras,
    stats: () => fleet.stats(),
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        fleet.close();
        server.close(() => {
          resolve();
        });
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
