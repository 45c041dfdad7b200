import type { IncomingMessage, ServerResponse } from 'node:http';
import { assignBehaviours, describeBehaviour, type CameraBehaviour } from './camera-behaviour.js';
import { API_PATH, buildCatalog, buildPage, STREAM_PATH_PATTERN, type SimCamera } from './camera-catalog.js';
import { newCameraCounters, sumCounters, type CameraCounters, type FleetStats } from './fleet-stats.js';
import type { SimulatorOptions } from './options.js';
import type { PartSets } from './part-sets.js';
import type { StreamHub } from './stream-hub.js';
import { FleetTimelineRecorder } from './fleet-timeline.js';
import { streamContentType } from './wire-format.js';

const ERROR_PAGE = `<!DOCTYPE html>
<html><head><title>502 Bad Gateway</title></head>
<body><h1>Bad Gateway</h1><p>The camera service is temporarily unavailable.</p></body></html>
`;

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** What the fleet's HTTP server answers: the camera API, each camera's stream (with its faults), and /__stats. */
export class FleetServer {
  private cameras: SimCamera[] = [];
  private readonly counters = new Map<number, CameraCounters>();
  private behaviours = new Map<number, CameraBehaviour>();
  /** Streams --header-delay holds before their headers; cleared on close. */
  private readonly pendingDelays = new Set<NodeJS.Timeout>();
  private readonly startedAt = performance.now();
  /** The fleet's own second-by-second record of its viewers, from its start. */
  private readonly timeline: FleetTimelineRecorder;

  constructor(
    private readonly options: SimulatorOptions,
    private readonly hub: StreamHub,
    private readonly parts: PartSets,
  ) {
    this.timeline = new FleetTimelineRecorder(hub.counts, () => this.counters.values());
  }

  /** The catalog, once the origin its URLs name is known (the port may be any free one). */
  listCameras(origin: string): readonly SimCamera[] {
    this.cameras = buildCatalog(this.options.cameras, this.options.inactive, origin);
    for (const camera of this.cameras) this.counters.set(camera.id, newCameraCounters(camera.id));
    const activeIds = this.cameras.filter((camera) => camera.status === 1).map((camera) => camera.id);
    this.behaviours = assignBehaviours(activeIds, this.options.faults, this.options.seed);
    return this.cameras;
  }

  handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method !== 'GET') {
      sendJson(res, 405, { detail: `Method "${req.method ?? ''}" not allowed.` }, { Allow: 'GET' });
      return;
    }
    if (url.pathname === '/__stats') {
      sendJson(res, 200, this.stats());
      return;
    }
    const isApi = url.pathname === API_PATH || url.pathname === API_PATH.slice(0, -1);
    const streamMatch = STREAM_PATH_PATTERN.exec(url.pathname);
    if ((isApi || streamMatch) && !this.authorized(req)) {
      sendJson(res, 401, { detail: 'Authentication credentials were not provided.' }, { 'WWW-Authenticate': 'Bearer' });
      return;
    }
    if (isApi) this.serveApi(req, res, url);
    else if (streamMatch?.[1]) this.serveStream(res, Number(streamMatch[1]));
    else sendJson(res, 404, { detail: 'Not found.' });
  }

  stats(): FleetStats {
    const cameraStats = this.cameras
      .filter((camera) => camera.fr_url !== null)
      .map((camera) => {
        const behaviour = this.behaviours.get(camera.id);
        return {
          ...(this.counters.get(camera.id) ?? newCameraCounters(camera.id)),
          status: camera.status,
          faults: behaviour ? describeBehaviour(behaviour) : [],
        };
      });
    return {
      uptimeSeconds: (performance.now() - this.startedAt) / 1000,
      openStreams: this.hub.open,
      peakOpenStreams: this.hub.counts.peak,
      bandwidthScale: this.hub.scale,
      totals: sumCounters(cameraStats),
      cameras: cameraStats,
      timeline: this.timeline.snapshot(),
    };
  }

  close(): void {
    for (const timer of this.pendingDelays) clearTimeout(timer);
    this.pendingDelays.clear();
    this.hub.close();
    this.timeline.stop();
  }

  private authorized(req: IncomingMessage): boolean {
    return this.options.requireToken === undefined || req.headers.authorization === `Bearer ${this.options.requireToken}`;
  }

  private serveApi(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const page = Number(url.searchParams.get('page') ?? '1');
    const requested = Number(url.searchParams.get('page_size') ?? this.options.pageSize);
    const pageSize = Number.isInteger(requested) && requested > 0 ? Math.min(requested, 1000) : this.options.pageSize;
    const body = buildPage(this.cameras, page, pageSize, `http://${req.headers.host ?? 'localhost'}${req.url ?? API_PATH}`);
    if (body) sendJson(res, 200, body);
    else sendJson(res, 404, { detail: 'Invalid page.' });
  }

  private serveStream(res: ServerResponse, id: number): void {
    const camera = this.counters.get(id);
    const behaviour = this.behaviours.get(id);
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
      this.startStream(res, camera, behaviour);
      return;
    }
    const timer = setTimeout(() => {
      this.pendingDelays.delete(timer);
      this.startStream(res, camera, behaviour);
    }, behaviour.headerDelayMs);
    this.pendingDelays.add(timer);
    res.once('close', () => {
      clearTimeout(timer);
      this.pendingDelays.delete(timer);
    });
  }

  private startStream(res: ServerResponse, camera: CameraCounters, behaviour: CameraBehaviour): void {
    if (res.destroyed || this.answeredWithError(res, behaviour)) return;
    if (this.options.maxClients !== undefined && this.hub.open >= this.options.maxClients) {
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
    this.hub.add(res, camera, behaviour, this.parts.for(behaviour));
  }

  /** --respond-with: a camera that answers an error instead of its stream. */
  private answeredWithError(res: ServerResponse, behaviour: CameraBehaviour): boolean {
    switch (behaviour.errorResponse) {
      case 503:
        sendJson(res, 503, { detail: 'Service temporarily unavailable.' }, { 'Retry-After': '5' });
        return true;
      case 404:
        sendJson(res, 404, { detail: 'Not found.' });
        return true;
      case 'html':
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(ERROR_PAGE) });
        res.end(ERROR_PAGE);
        return true;
      default:
        return false;
    }
  }
}
