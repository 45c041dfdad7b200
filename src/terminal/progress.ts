import type { Writable } from 'node:stream';
import type { Camera } from '../cameras/camera.js';
import { redactUrl } from '../text/redact.js';
import type { Totals } from '../metrics/timeline.js';
import type { Runner } from '../run/runner.js';
import type { SystemSample } from '../metrics/client-health.js';
import type { ShardId } from '../report/report-types.js';
import { shardLabel } from '../report/shard-scope.js';
import { viewerGroupHeadings } from '../report/viewer-group-reports.js';
import type { ViewerPlan } from '../viewers.js';
import { stageSpans, type Stage, type Storm } from '../stages.js';
import type { OpenModel, WatchTime } from '../arrivals.js';

export interface ProgressOptions {
  out: Writable;
  /** A terminal gets a panel redrawn in place; anything else a plain line now and then. */
  tty: boolean;
  streamsPlanned: number;
  durationMs: number;
  plainEveryMs?: number;
  panelEveryMs?: number;
}

interface Rates {
  fps: number;
  bytesPerSecond: number;
}

function bar(fraction: number, width = 24): string {
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
}

const clock = (ms: number): string => {
  const total = Math.max(0, Math.round(ms / 1000));
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
};

/** Pure: the line that says what the run will do, and for a shard, which share of the test it is. */
export function streamingLine(
  plan: { streams: readonly Camera[]; maxStreams: number; atOnce?: number; cameras: { cameras: readonly Camera[]; origin: string } },
  durationMs: number,
  shard?: ShardId,
): string {
  const { streams, maxStreams, cameras } = plan;
  const label = shardLabel({ shard: shard ?? null });
  // The open model's viewers pass through more slots than are open at once.
  const what =
    plan.atOnce !== undefined && plan.atOnce < streams.length
      ? `up to ${plan.atOnce} viewers at once through ${streams.length} stream slots`
      : `${streams.length} stream${streams.length === 1 ? '' : 's'}`;
  return (
    `Streaming ${what}${label === null ? '' : ` (${label})`} from ${new Set(streams.map((s) => s.id)).size} of ` +
    `${cameras.cameras.length} active cameras for ${durationMs / 1000} s (${redactUrl(cameras.origin)})` +
    (streams.length < maxStreams ? `; ${maxStreams} requested, one per camera (--streams-per-camera for more)` : '')
  );
}

/** Pure: what the viewer groups will do, said before the run, e.g. "Viewer groups from 75 s (…): slow 20%, …". */
export function viewersLine(viewers: ViewerPlan): string {
  const [normal, ...others] = viewerGroupHeadings(viewers);
  const share = (n: number): string => `${Number((n * 100).toFixed(1))}%`;
  const groups = others.map((g) => `${g.group} ${share(g.share)} (${g.behaviour})`).join(', ');
  return (
    `Viewer groups from ${viewers.leadInMs / 1000} s (before, every viewer reads at full speed: the normal viewers' baseline): ` +
    `${groups}; normal ${share(normal?.share ?? 0)}`
  );
}

const seconds = (ms: number): string => `${Number((ms / 1000).toFixed(3))} s`;

function watchText(watch: WatchTime): string {
  if (watch.kind === 'fixed') return `each watching ${seconds(watch.ms)}`;
  if (watch.kind === 'exp') return `each watching ${seconds(watch.meanMs)} on average (exponentially distributed)`;
  return `each watching ${seconds(watch.minMs)} to ${seconds(watch.maxMs)} (uniformly)`;
}

/** "viewers arrive at 20/s (Poisson) for 300 s, each watching 30 s, cameras alike; at most 50 open at once …". */
function openModelText(model: OpenModel, maxStreams: number): string {
  const rates = model.rates.map((r) => `${r.perSecond}/s for ${seconds(r.durationMs)}`);
  const at = rates.length === 1 ? rates[0] : rates.map((r, i) => `${i + 1}) ${r}`).join(', ');
  const cameras =
    model.popularity.kind === 'uniform' ? 'every camera alike' : `cameras by Zipf's law, s = ${model.popularity.s} (the first by id the most watched)`;
  return `Open model: viewers arrive at ${at} (Poisson), ${watchText(model.watch)}, ${cameras}; at most ${maxStreams} open at once (more arrivals are dropped)`;
}

/** Pure: the load over time, said before the run, e.g. "Stages: 1) 0→100 over 30 s, 2) hold 100 for 2 m; storms at 90 s". */
export function loadShapeLine(
  stages: readonly Stage[] | undefined,
  storms: readonly Storm[] | undefined,
  open?: { model: OpenModel; maxStreams: number },
): string | undefined {
  const parts: string[] = [];
  if (open) parts.push(openModelText(open.model, open.maxStreams));
  if (stages) {
    const described = stageSpans(stages).map((s) => {
      const over = `${(s.toMs - s.fromMs) / 1000} s`;
      return `${s.number}) ${s.fromTarget === s.toTarget ? `hold ${s.toTarget} for ${over}` : `${s.fromTarget}→${s.toTarget} streams over ${over}`}`;
    });
    parts.push(`Stages: ${described.join(', ')}`);
  }
  if (storms) {
    const at = storms.map((s) => `${s.atMs / 1000} s${s.immediate ? ' (immediate)' : ''}`).join(', ');
    parts.push(`reconnect storms at ${at}: every open stream dropped by camera-load and reconnected`);
  }
  return parts.length === 0 ? undefined : parts.join('; ');
}

/** Pure: one progress line (plain output) from totals and recent rates. */
export function progressLine(totals: Totals, rates: Rates, planned: number, durationMs: number, cpu?: number): string {
  const perStream = totals.openStreams > 0 ? rates.fps / totals.openStreams : 0;
  return (
    `[${clock(totals.at)} / ${clock(durationMs)}] open ${totals.openStreams}/${planned}, ` +
    `${rates.fps.toFixed(1)} fps (${perStream.toFixed(2)} per stream), ${(rates.bytesPerSecond / 1e6).toFixed(2)} MB/s, ` +
    `frames ${totals.frames}, reconnections ${totals.reconnections}, errors ${totals.errors}` +
    (cpu === undefined ? '' : `, client CPU ${cpu.toFixed(0)}%`)
  );
}

/** Live progress: listens to the runner, owns its output, and stops with it. */
export function attachProgress(runner: Runner, options: ProgressOptions): void {
  let lastSample: SystemSample | undefined;
  let previous: Totals | undefined;
  let rates: Rates = { fps: 0, bytesPerSecond: 0 };
  let panelLines = 0;
  let timer: NodeJS.Timeout | undefined;

  const update = (totals: Totals): void => {
    if (previous && totals.at > previous.at) {
      const seconds = (totals.at - previous.at) / 1000;
      rates = { fps: (totals.frames - previous.frames) / seconds, bytesPerSecond: (totals.bytes - previous.bytes) / seconds };
    }
    previous = totals;
  };

  const drawPanel = (): void => {
    const totals = runner.live();
    if (!totals) return;
    if (!previous || totals.at - previous.at >= 1000) update(totals);
    const elapsed = totals.at;
    const perStream = totals.openStreams > 0 ? (rates.fps / totals.openStreams).toFixed(2) : '–';
    const lines = [
      `camera-load ${bar(elapsed / options.durationMs)} ${clock(elapsed)} elapsed, ${clock(options.durationMs - elapsed)} left`,
      `  streams open   ${totals.openStreams} / ${options.streamsPlanned}`,
      `  frame rate     ${rates.fps.toFixed(1)} fps total, ${perStream} fps per stream`,
      `  throughput     ${(rates.bytesPerSecond / 1e6).toFixed(2)} MB/s   frames ${totals.frames}`,
      `  reconnections  ${totals.reconnections}   errors ${totals.errors}`,
      `  client         CPU ${lastSample ? `${lastSample.processCpuPercent.toFixed(0)}% of a core` : '…'}, ` +
        `event-loop p99 ${lastSample ? `${lastSample.eventLoopDelayP99Ms} ms` : '…'}`,
    ];
    // Move up over the previous panel and redraw it line by line.
    const up = panelLines > 0 ? `\x1b[${panelLines}F` : '';
    options.out.write(`${up}${lines.map((line) => `\x1b[2K${line}`).join('\n')}\n`);
    panelLines = lines.length;
  };

  runner.on('sample', (sample) => {
    lastSample = sample;
  });
  runner.on('start', () => {
    if (options.tty) {
      timer = setInterval(drawPanel, options.panelEveryMs ?? 500);
    } else {
      let lastPrinted = 0;
      const every = options.plainEveryMs ?? 10_000;
      runner.on('tick', ({ totals }) => {
        update(totals);
        if (totals.at - lastPrinted >= every) {
          lastPrinted = totals.at;
          options.out.write(`${progressLine(totals, rates, options.streamsPlanned, options.durationMs, lastSample?.processCpuPercent)}\n`);
        }
      });
    }
  });
  runner.on('done', () => {
    if (timer) clearInterval(timer);
    if (options.tty) drawPanel();
  });
}
