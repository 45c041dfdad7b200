import { loadCameras, type ListSource, type LoadedCameras } from './load-cameras.js';
import { readCaFile, type Network } from '../connection/network.js';
import type { EngineOptions } from '../options/engine-options.js';
import { startFleetProcess, type FleetProcess } from '../sim/fleet-process.js';
import { defined } from '../defined.js';

/** The cameras of a run, and how to stop what listing them started (the simulated fleet). */
export interface RunCameras extends LoadedCameras {
  /** How the API was reached, and the streams will be. */
  network: Network;
  close: () => Promise<void>;
}

/**
 * Lists the cameras (typed errors for a failing source). `--simulate` starts the fleet in its own process first
 * and reads its camera API like any other.
 */
export async function openCameras(options: EngineOptions, signal: AbortSignal): Promise<RunCameras> {
  const { source } = options;
  // Before the fleet starts: a --ca file that holds no certificate is a usage error with nothing run.
  const network: Network = { proxy: options.proxy, insecure: options.insecure, extraCa: options.ca === undefined ? [] : await readCaFile(options.ca) };
  let fleet: FleetProcess | undefined;
  let listed: ListSource;
  if (source.kind === 'simulate') {
    fleet = await startFleetProcess(['--cameras', String(source.cameras), ...source.args]);
    listed = { kind: 'api', apiUrl: fleet.apiUrl };
  } else {
    listed = source;
  }
  const close = async (): Promise<void> => {
    await fleet?.stop();
  };
  let cameras: LoadedCameras;
  try {
    cameras = await loadCameras(listed, {
      headers: options.headers,
      network,
      ...defined({ cameraAuth: options.cameraAuth }),
      timeoutMs: options.apiTimeoutMs,
      signal,
    });
  } catch (error) {
    await close();
    throw error;
  }
  return { ...cameras, origin: fleet ? `simulated fleet at ${fleet.apiUrl}` : cameras.origin, network, close };
}
