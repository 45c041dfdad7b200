import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { assignBehaviours, CLEAN_BEHAVIOUR, describeBehaviour, type CameraBehaviour } from './camera-behaviour.js';
import { API_PATH, buildCatalog, buildPage, STREAM_PATH_PATTERN, type SimCamera } from './camera-catalog.js';
import { newCameraCounters, sumCounters, type CameraCounters, type FleetStats } from './fleet-stats.js';
import { buildFrameImages } from './frame-images.js';
import { UsageError } from '../errors.js';
import { resolveSimulatorOptions, type SimulatorOptions } from './options.js';
import { StreamHub, type PartSet, type WirePart } from './stream-hub.js';
import { buildCorruptBody, buildPartHead, streamContentType, timestampLine, type PartFormat } from './wire-format.js';

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

const ERROR_PAGE = `<!DOCTYPE html>
<html><head><title>502 Bad Gateway</title></head>
<body><h1>Bad Gateway</h1><p>The camera service is temporarily unavailable.</p></body></html>
`;

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** Starts the simulated fleet on `host:port` (127.0.0.1, any free port by default). */
export async function startSimulator(partial: Partial<SimulatorOptions> = {}): Promise<RunningSimulator> {
  const options = resolveSimulatorOptions(partial);
  const images = buildFrameImages({ count: options.distinctFrames, targetBytes: options.frameBytes, seed: options.seed });
  const partSets = new Map<string, PartSet>();
  const partsFor = (format: PartFormat): PartSet => {
    const key = `${format.contentLength}|${format.lineEnding}`;
    let set = partSets.get(key);
    if (!set) {
      const eol = Buffer.from(format.lineEnding, 'latin1');
      const wirePart = (body: Buffer): WirePart => ({
        head: buildPartHead(body.length, format),
        tail: Buffer.concat([body, eol]),
      });
      set = {
        frames: images.map(wirePart),
        corrupt: wirePart(buildCorruptBody(options.frameBytes)),
        lineEnding: format.lineEnding,
      };
      partSets.set(key, set);
    }
    return set;
  };
  const cleanParts = partsFor(CLEAN_BEHAVIOUR);
  const hub = new StreamHub({
    fps: options.fps,
    ...(options.maxSpeed ? { maxSpeed: true } : {}),
    partBytes:
      cleanParts.frames.reduce((sum, part) => sum + part.head.length + part.tail.length, 0) / cleanParts.frames.length +
      timestampLine(Date.now(), CLEAN_BEHAVIOUR.lineEnding).length,
    ...(options.bandwidthBytesPerSecond === undefined ? {} : { bandwidthBytesPerSecond: options.bandwidthBytesPerSecond }),
  });

  let cameras: SimCamera[] = [];
  const counters = new Map<number, CameraCounters>();
  let behaviours = new Map<number, CameraBehaviour>();
  const pendingDelays = new Set<NodeJS.Timeout>();
  const startedAt = performance.now();

  const authorized = (req: IncomingMessage): boolean =>
    options.requireToken === undefined || req.headers.authorization === `Bearer ${options.requireToken}`;

  const serveApi = (req: IncomingMessage, res: ServerResponse, url: URL): void => {
    const page = Number(url.searchParams.get('page') ?? '1');
    const requested = Number(url.searchParams.get('page_size') ?? options.pageSize);
    const pageSize = Number.isInteger(requested) && requested > 0 ? Math.min(requested, 1000) : options.pageSize;
    const body = buildPage(cameras, page, pageSize, `http://${req.headers.host ?? 'localhost'}${req.url ?? API_PATH}`);
    if (body) sendJson(res, 200, body);
    else sendJson(res, 404, { detail: 'Invalid page.' });
  };

  const startStream = (res: ServerResponse, camera: CameraCounters, behaviour: CameraBehaviour): void => {
    if (res.destroyed) return;
    switch (behaviour.errorResponse) {
      case 503:
        sendJson(res, 503, { detail: 'Service temporarily unavailable.' }, { 'Retry-After': '5' });
        return;
      case 404:
        sendJson(res, 404, { detail: 'Not found.' });
        return;
      case 'html':
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(ERROR_PAGE) });
        res.end(ERROR_PAGE);
        return;
      case undefined:
        break;
    }
    if (options.maxClients !== undefined && hub.open >= options.maxClients) {
      camera.rejected++;
      sendJson(res, 503, { detail: 'Too many concurrent streams.' }, { 'Retry-After': '1' });
      return;
    }
    camera.connections++;
    res.writeHead(200, {
      'Content-Type': streamContentType(behaviour.boundaryStyle),
      'Cache-Control': 'no-cache, no-store, must-revalidate',
      Pragma: 'no-cache',
    });
    // Send the headers now, even for a stream that will stall before its first frame.
    res.flushHeaders();
    hub.add(res, camera, behaviour, partsFor(behaviour));
  };

  const serveStream = (res: ServerResponse, id: number): void => {
    const camera = counters.get(id);
    const behaviour = behaviours.get(id);
    if (!camera) {
      sendJson(res, 404, { detail: 'Not found.' });
      return;
    }
    camera.requests++;
    if (!behaviour) {
      sendJson(res, 404, { detail: 'Camera is inactive.' });
      return;
    }
    if (behaviour.headerDelayMs === undefined) {
      startStream(res, camera, behaviour);
      return;
    }
    const timer = setTimeout(() => {
      pendingDelays.delete(timer);
      startStream(res, camera, behaviour);
    }, behaviour.headerDelayMs);
    pendingDelays.add(timer);
    res.once('close', () => {
      clearTimeout(timer);
      pendingDelays.delete(timer);
    });
  };

  const stats = (): FleetStats => {
    const cameraStats = cameras
      .filter((camera) => camera.fr_url !== null)
      .map((camera) => {
        const behaviour = behaviours.get(camera.id);
        return {
          ...(counters.get(camera.id) ?? newCameraCounters(camera.id)),
          status: camera.status,
          faults: behaviour ? describeBehaviour(behaviour) : [],
        };
      });
    return {
      uptimeSeconds: (performance.now() - startedAt) / 1000,
      openStreams: hub.open,
      peakOpenStreams: hub.peakOpen,
      bandwidthScale: hub.scale,
      totals: sumCounters(cameraStats),
      cameras: cameraStats,
    };
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method !== 'GET') {
      sendJson(res, 405, { detail: `Method "${req.method ?? ''}" not allowed.` }, { Allow: 'GET' });
      return;
    }
    if (url.pathname === '/__stats') {
      sendJson(res, 200, stats());
      return;
    }
    const isApi = url.pathname === API_PATH || url.pathname === API_PATH.slice(0, -1);
    const streamMatch = STREAM_PATH_PATTERN.exec(url.pathname);
    if ((isApi || streamMatch) && !authorized(req)) {
      sendJson(res, 401, { detail: 'Authentication credentials were not provided.' }, { 'WWW-Authenticate': 'Bearer' });
      return;
    }
    if (isApi) serveApi(req, res, url);
    else if (streamMatch?.[1]) serveStream(res, Number(streamMatch[1]));
    else sendJson(res, 404, { detail: 'Not found.' });
  });
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      const where = `port ${options.port} on ${options.host}`;
      if (error.code === 'EADDRINUSE') reject(new UsageError(`${where} is already in use`, { cause: error }));
      else if (error.code === 'EACCES') reject(new UsageError(`${where} needs privileges to listen on`, { cause: error }));
      else if (error.code === 'EADDRNOTAVAIL') reject(new UsageError(`${options.host} is not an address of this machine`, { cause: error }));
      else reject(error);
    };
    server.once('error', onError);
    server.listen(options.port, options.host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const hostForUrl = options.host.includes(':') ? `[${options.host}]` : options.host;
  const origin = `http://${hostForUrl}:${port}`;
  cameras = buildCatalog(options.cameras, options.inactive, origin);
  for (const camera of cameras) counters.set(camera.id, newCameraCounters(camera.id));
  const activeIds = cameras.filter((camera) => camera.status === 1).map((camera) => camera.id);
  behaviours = assignBehaviours(activeIds, options.faults, options.seed);

  let closing: Promise<void> | undefined;
  return {
    apiUrl: `${origin}${API_PATH}`,
    statsUrl: `${origin}/__stats`,
    port,
    options,
    cameras,
    stats,
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        for (const timer of pendingDelays) clearTimeout(timer);
        pendingDelays.clear();
        hub.close();
        server.close(() => {
          resolve();
        });
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
