// What another stream-reading engine would cost, as whole processes against the bare undici `request()` client
// (bench/raw-client.ts): undici's `dispatch()` with the handler API (bench/raw-dispatch-client.ts), `net.Socket`
// with `onread` (bench/raw-socket-client.ts), each counting bytes and, with `parse`, running camera-load's per-stream
// work (parser and stats, bench/engine-sink.ts), beside the same work on request() (bench/raw-request-client.ts).
// All on bench/lean-server.ts in its own process, timed from outside by /usr/bin/time (CPU user+sys, peak RSS),
// each client started with camera-load's GC_FLAGS, the order rotated each round; then round(s) without the flags.
// Run: npm run bench -- engines [--streams 2000|10000] [--seconds S] [--repeat R] [--bare-rounds N] [--kinds a,b,...]
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { GC_FLAGS } from '../src/launcher/gc-tuning.js';
import { buildFrameImages } from '../src/sim/frame-images.js';
import { buildPart } from '../src/sim/wire-format.js';
import { loadAverage, median, spread, TIME, timed, withLeanServer, type LeanServer } from './timing.js';

const script = (name: string): string => fileURLToPath(new URL(`./${name}.js`, import.meta.url));

interface Kind {
  id: string;
  label: string;
  script: string;
  parse: boolean;
}

export const ENGINE_KINDS: readonly Kind[] = [
  { id: 'request', label: 'request() + Readable, bytes (bench/raw-client.ts)', script: script('raw-client'), parse: false },
  { id: 'dispatch', label: 'dispatch() handler, bytes', script: script('raw-dispatch-client'), parse: false },
  { id: 'socket', label: 'net.Socket onread, bytes', script: script('raw-socket-client'), parse: false },
  { id: 'request-parse', label: 'request() + camera-load parser and stats', script: script('raw-request-client'), parse: true },
  { id: 'dispatch-parse', label: 'dispatch() + camera-load parser and stats', script: script('raw-dispatch-client'), parse: true },
  { id: 'socket-parse', label: 'net.Socket onread + camera-load parser and stats', script: script('raw-socket-client'), parse: true },
  // A control: the prototypes' byte-count sink on request() should cost what raw-client.ts does.
  { id: 'request-sink', label: 'request() + Readable, bytes (the prototypes’ sink)', script: script('raw-request-client'), parse: false },
];
const DEFAULT_KINDS = ENGINE_KINDS.map((k) => k.id);

export interface EnginesOptions {
  /** One scenario only: 2,000 streams at 5 fps for 25 s, or 10,000 at 1 fps for 20 s (default: both). */
  streams?: number;
  seconds?: number;
  /** Rounds with GC_FLAGS (default 3). */
  repeat?: number;
  /** Rounds without them, after (default 1). */
  bareRounds?: number;
  kinds?: string[];
}

interface Run {
  kind: Kind;
  round: number;
  gcFlags: boolean;
  cpuSeconds: number;
  wallSeconds: number;
  peakRssBytes: number;
  bytes: number;
  /** Frames the parser counted (NaN: bytes only). */
  frames: number;
  /** Frames the server wrote to this client, from before its start to after its exit. */
  sent: number;
  /** Streams whose count was not the whole parts their bytes held (NaN: bytes only). */
  streamsOff: number;
  failures: number;
  errors: number;
  firstFrameMaxMs: number;
  missing: number;
  code: number | null;
  load: string;
}

interface ClientLine {
  bytes?: number;
  frames?: number | null;
  streamsOff?: number | null;
  failures?: number;
  errors?: number;
  firstFrameMs?: { max: number; missing: number };
}

async function runClient(server: LeanServer, kind: Kind, streams: number, seconds: number, round: number, gcFlags: boolean): Promise<Run> {
  const sentBefore = await server.framesSent();
  const parse = kind.parse ? ['parse', String(partBytes())] : [];
  const args = [process.execPath, ...(gcFlags ? GC_FLAGS : []), kind.script, String(server.port), String(streams), String(seconds), ...parse];
  const run = await timed(args, (seconds + 90) * 1000);
  const sent = (await server.framesSent()) - sentBefore;
  let line: ClientLine = {};
  try {
    line = JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}') as ClientLine;
  } catch {
    // A killed or failed client: its figures stay NaN.
  }
  return {
    kind,
    round,
    gcFlags,
    cpuSeconds: run.cpuSeconds,
    wallSeconds: run.wallSeconds,
    peakRssBytes: run.peakRssBytes,
    bytes: line.bytes ?? NaN,
    frames: line.frames ?? NaN,
    streamsOff: line.streamsOff ?? NaN,
    sent,
    failures: line.failures ?? 0,
    errors: line.errors ?? 0,
    firstFrameMaxMs: line.firstFrameMs?.max ?? NaN,
    missing: line.firstFrameMs?.missing ?? NaN,
    code: run.code,
    load: loadAverage(),
  };
}

const gb = (bytes: number): number => bytes / 1e9;
const perGb = (r: Run): number => r.cpuSeconds / gb(r.bytes);
const mb = (r: Run): number => r.peakRssBytes / 1e6;

/** The bytes of one part as bench/lean-server.ts writes it (its defaults): a stream's body bytes over it are its parts, whole or not. */
let partBytesMemo: number | undefined;
const partBytes = (): number =>
  (partBytesMemo ??= buildPart(buildFrameImages({ count: 1, targetBytes: 20 * 1024 })[0] ?? Buffer.alloc(0), {
    contentLength: true,
    lineEnding: '\r\n',
  }).length);

/**
 * Counted frames against what the server sent and what each stream's bytes hold: a prototype that skipped work would
 * show here. ✓: every stream counted the whole parts its bytes held, no parser failed, and no more than were sent.
 */
function framesCell(r: Run): string {
  if (Number.isNaN(r.frames)) return `— / ${r.sent}`;
  const exact = r.frames <= r.sent && r.streamsOff === 0 && r.failures === 0;
  return `${r.frames} / ${r.sent} ${exact ? '✓' : `✗ (${r.streamsOff} streams off, ${r.failures} failures)`}`;
}

function roundTable(runs: Run[]): string[] {
  const lines = [
    '| round | client | GC flags | CPU-s | wall s | GB | CPU-s per GB | peak RSS (MB) | CPU/GB × request() | RSS × request() | frames counted / sent | no first frame | errors | load |',
    '|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|',
  ];
  for (const r of runs) {
    const base = runs.find((b) => b.round === r.round && b.gcFlags === r.gcFlags && b.kind.id === 'request');
    const cpuRatio = base ? perGb(r) / perGb(base) : NaN;
    const rssRatio = base ? r.peakRssBytes / base.peakRssBytes : NaN;
    lines.push(
      `| ${r.round} | ${r.kind.label} | ${r.gcFlags ? 'yes' : 'no'} | ${r.cpuSeconds.toFixed(2)} | ${r.wallSeconds.toFixed(1)} | ${gb(r.bytes).toFixed(2)} | ${perGb(r).toFixed(2)} | ${mb(r).toFixed(0)} | ` +
        `${cpuRatio.toFixed(2)} | ${rssRatio.toFixed(2)} | ${framesCell(r)} | ${r.missing} | ${r.errors}${r.code === 0 ? '' : ` (exit ${r.code})`} | ${r.load} |`,
    );
  }
  return lines;
}

/** Medians (min–max) per client over the rounds with the same flags; ratios pair by pair within a round. */
function medianTable(runs: Run[], kinds: readonly Kind[], against: (k: Kind) => string): string[] {
  const lines = [
    '| client | CPU-s | GB | CPU-s per GB | peak RSS (MB) | CPU/GB × request(), per round | peak RSS × request(), per round | slowest first frame (ms) |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const kind of kinds) {
    const mine = runs.filter((r) => r.kind.id === kind.id);
    const ratios = (pick: (r: Run) => number): number[] =>
      mine.map((r) => {
        const base = runs.find((b) => b.round === r.round && b.kind.id === against(kind));
        return base ? pick(r) / pick(base) : NaN;
      });
    const cpuRatios = ratios(perGb);
    const rssRatios = ratios((r) => r.peakRssBytes);
    const cell = (values: number[], digits: number): string => `${median(values).toFixed(digits)}${spread(values, digits)}`;
    lines.push(
      `| ${kind.label} | ${cell(
        mine.map((r) => r.cpuSeconds),
        2,
      )} | ${median(mine.map((r) => gb(r.bytes))).toFixed(2)} | ${cell(mine.map(perGb), 2)} | ` +
        `${cell(mine.map(mb), 0)} | ${cell(cpuRatios, 2)}× | ${cell(rssRatios, 2)}× | ${median(mine.map((r) => r.firstFrameMaxMs)).toFixed(0)} |`,
    );
  }
  return lines;
}

async function scenario(streams: number, fps: number, seconds: number, options: EnginesOptions, kinds: readonly Kind[]): Promise<string> {
  const repeat = options.repeat ?? 3;
  const bare = options.bareRounds ?? 1;
  const runs: Run[] = [];
  await withLeanServer(fps, async (server) => {
    // A warm-up, not counted: the server's first thousands of connections run its code cold.
    await timed([process.execPath, script('raw-client'), String(server.port), String(Math.min(streams, 2000)), '1'], 60_000);
    for (let round = 1; round <= repeat + bare; round++) {
      const gcFlags = round <= repeat;
      // Rotated, so that each client goes first in some round and a drift of the machine's load falls on all.
      const order = kinds.map((_, i) => kinds[(i + round - 1) % kinds.length] as Kind);
      for (const kind of order) {
        const run = await runClient(server, kind, streams, seconds, round, gcFlags);
        runs.push(run);
        process.stderr.write(
          `[engines ${streams} × ${fps} fps, round ${round}/${repeat + bare}${gcFlags ? '' : ', no GC flags'}] ${kind.id}: ${run.cpuSeconds.toFixed(2)} CPU-s, ` +
            `${gb(run.bytes).toFixed(2)} GB, ${mb(run).toFixed(0)} MB, frames ${run.frames}/${run.sent}, exit ${run.code}; load ${run.load}\n`,
        );
      }
    }
  });
  const flagged = runs.filter((r) => r.gcFlags);
  const unflagged = runs.filter((r) => !r.gcFlags);
  const parseBase = (k: Kind): string => (k.parse ? 'request-parse' : 'request');
  return [
    `**${streams.toLocaleString('en-US')} streams × ${fps} fps × 20 KB for ${seconds} s (bench/lean-server.ts), whole processes with GC_FLAGS (${GC_FLAGS.join(' ')}): medians of ${repeat} rounds (min–max)**`,
    '',
    ...medianTable(flagged, kinds, () => 'request'),
    '',
    `The parse rows against camera-load's work on request() (request() + parser and stats), pair by pair within a round:`,
    '',
    ...medianTable(flagged, kinds, parseBase),
    ...(unflagged.length === 0 ? [] : ['', `**The same without GC_FLAGS (${bare} round(s))**`, '', ...medianTable(unflagged, kinds, () => 'request')]),
    '',
    `Every run (frames: counted by the parsers / written by the server to that client, in flight at the stop not counted; ✓: each stream counted the whole ${partBytes()}-byte parts its bytes held, none failed):`,
    '',
    ...roundTable(runs),
    '',
    `Load average after: ${loadAverage()}.`,
  ].join('\n');
}

export async function runEnginesBench(options: EnginesOptions): Promise<string> {
  if (!existsSync(TIME)) return `${TIME} is not installed: the engines bench times processes with it (apt-get install time).`;
  const ids = options.kinds ?? DEFAULT_KINDS;
  const unknown = ids.filter((id) => !ENGINE_KINDS.some((k) => k.id === id));
  if (unknown.length > 0) throw new Error(`engines --kinds takes ${ENGINE_KINDS.map((k) => k.id).join(', ')}; not ${unknown.join(', ')}`);
  // The baseline always runs: every ratio is against it.
  const kinds = ENGINE_KINDS.filter((k) => k.id === 'request' || ids.includes(k.id));
  const scenarios =
    options.streams === undefined
      ? [
          { streams: 2000, fps: 5, seconds: 25 },
          { streams: 10_000, fps: 1, seconds: 20 },
        ]
      : [{ streams: options.streams, fps: options.streams >= 10_000 ? 1 : 5, seconds: options.streams >= 10_000 ? 20 : 25 }];
  const out: string[] = [`Load average before: ${loadAverage()}.`, ''];
  for (const s of scenarios) out.push(await scenario(s.streams, s.fps, options.seconds ?? s.seconds, options, kinds), '');
  return out.join('\n');
}
