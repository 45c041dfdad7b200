// What `camera-load merge` costs at the size the issue names: 100 shard reports of 1,000 streams each, every
// stream a 5-minute run at 5 fps with its real frame-gap HdrHistogram, written as `run` writes them. The files are
// then read back, checked, merged and the merged report serialised, in this process, once (as a cold `merge`
// process would), next to a same-run baseline that only parses and re-serialises the same files: the ratio is what
// the merge itself adds. Run: npm run bench -- merge
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SystemSample } from '../src/metrics/client-health.js';
import { StreamStats } from '../src/metrics/stream-stats.js';
import type { TimelineRow } from '../src/metrics/timeline.js';
import { readReports } from '../src/files/read-reports.js';
import { buildReport } from '../src/report/build-report.js';
import { mergeReports } from '../src/report/merge-reports.js';
import { parseThreshold } from '../src/report/thresholds.js';
import { shardIndexes } from '../src/run/plan-streams.js';
import { seededRandom } from '../src/random.js';

const SHARDS = 100;
const STREAMS_PER_SHARD = 1_000;
const RUN_SECONDS = 300;
const FPS = 5;
const FRAME_BYTES = 20_000;
const TARGET_SECONDS = 10;
const THRESHOLDS = ['fps.avg>=4', 'frame_gap_ms.p99<=1000', 'streams.opened_ratio>=1'].map(parseThreshold);

/** One stream's 5 minutes: jittered frame gaps, and now and then a drop or a stall with its reconnection gap. */
function streamOf(index: number, random: () => number): StreamStats {
  const camera = 1 + Math.floor(index / 2);
  const stats = new StreamStats(index, String(camera), `Camera ${camera}`, `http://cameras.example/stream/${camera}`);
  const start = (index % STREAMS_PER_SHARD) * 10;
  const end = RUN_SECONDS * 1000;
  stats.attemptStarted(start);
  stats.bytesReceived(0, () => start + 5 + random() * 20);
  stats.event(start, 'connect');
  stats.connectionOpened(start);
  const faulty = random() < 0.05;
  let t = start + 80 + random() * 400;
  while (t < end) {
    stats.frame(FRAME_BYTES, t);
    if (faulty && random() < 0.01) {
      const stall = random() < 0.5;
      stats.error(stall ? 'STALL' : 'ECONNRESET', stall ? 'no data for 10 s' : 'socket hang up', t + 1);
      stats.connectionClosed(t + 1);
      stats.attemptStarted(t + 1);
      t += stall ? 10_000 + random() * 2_000 : 300 + random() * 1_500;
      stats.event(t - 50, 'reconnect');
      stats.connectionOpened(t - 50);
      continue;
    }
    t += 1000 / FPS + (random() - 0.5) * 60;
  }
  stats.bytesReceived(stats.frameBytes + stats.frames * 120, () => end);
  stats.runStopped();
  return stats;
}

function timelineOf(streams: number, random: () => number): TimelineRow[] {
  return Array.from({ length: RUN_SECONDS }, (_, i): TimelineRow => ({
    t: i + 1,
    seconds: 1,
    openStreams: streams,
    fps: Math.round(streams * FPS * (0.97 + random() * 0.03)),
    bytesPerSecond: Math.round(streams * FPS * FRAME_BYTES * (0.97 + random() * 0.03)),
    reconnections: random() < 0.1 ? 1 : 0,
    ...(random() < 0.1 ? { errors: 1, errorsByCode: { STALL: 1 } } : { errors: 0, errorsByCode: {} }),
    freshFps: streams * FPS,
    timestampedFrames: streams * FPS,
    delayMsMean: 3,
  }));
}

function systemOf(random: () => number): SystemSample[] {
  return Array.from({ length: RUN_SECONDS }, (_, i) => ({
    t: i + 1,
    cpuPercent: 20 + random() * 10,
    processCpuPercent: 40 + random() * 20,
    memoryUsedBytes: 4e9 + random() * 1e8,
    memoryTotalBytes: 16e9,
    processRssBytes: 3e8 + random() * 1e7,
    networkRxBytesPerSecond: 1e8 + random() * 1e6,
    networkTxBytesPerSecond: 1e6 + random() * 1e4,
    eventLoopDelayP99Ms: 10 + random() * 5,
    eventLoopDelayMaxMs: 20 + random() * 10,
  }));
}

/** Shard `index` of SHARDS, built and serialised as a shard process writes its --output file. */
function shardReportJson(index: number): string {
  const random = seededRandom(index);
  const id = { index, count: SHARDS };
  const startedAt = new Date(Date.UTC(2026, 0, 1, 12) + random() * 50);
  const report = buildReport({
    version: 'bench',
    config: { intervalSeconds: 1, maxStreams: SHARDS * STREAMS_PER_SHARD, durationSeconds: RUN_SECONDS },
    cameras: { listed: 60_000, active: 50_000, skipped: 0 },
    streamsRequested: STREAMS_PER_SHARD,
    streamsPerCamera: 2,
    targetDurationMs: RUN_SECONDS * 1000,
    outcome: {
      startedAt,
      endedAt: new Date(startedAt.getTime() + RUN_SECONDS * 1000),
      elapsedMs: RUN_SECONDS * 1000,
      interrupted: false,
      streams: shardIndexes(SHARDS * STREAMS_PER_SHARD, id).map((g) => streamOf(g, random)),
      timeline: timelineOf(STREAMS_PER_SHARD, random),
      system: systemOf(random),
    },
    thresholds: THRESHOLDS,
    shard: id,
    host: `load-${index}`,
    planFingerprint: 'b'.repeat(64),
  });
  return `${JSON.stringify(report, null, 2)}\n`;
}

const seconds = (fromMs: number): number => (performance.now() - fromMs) / 1000;

export async function runMergeBench(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'camera-load-bench-merge-'));
  try {
    let at = performance.now();
    const files = Array.from({ length: SHARDS }, (_, i) => {
      const file = join(dir, `shard-${i + 1}.json`);
      writeFileSync(file, shardReportJson(i + 1));
      return file;
    });
    const generated = seconds(at);
    const megabytes = files.reduce((sum, file) => sum + statSync(file).size, 0) / 1e6;

    // What `merge` does, step by step: read and check every file, merge, serialise and write the merged report.
    at = performance.now();
    const reports = await readReports(files);
    const read = seconds(at);
    at = performance.now();
    const merged = mergeReports(reports, { names: files });
    const merge = seconds(at);
    at = performance.now();
    await writeFile(join(dir, 'merged.json'), `${JSON.stringify(merged, null, 2)}\n`);
    const write = seconds(at);
    const total = read + merge + write;
    if (merged.streams.length !== SHARDS * STREAMS_PER_SHARD || merged.streams.some((s, i) => s.index !== i)) {
      throw new Error(`merged ${merged.streams.length} streams, not ${SHARDS * STREAMS_PER_SHARD} in global order`);
    }
    const peakRssMb = process.resourceUsage().maxRSS / 1000;
    reports.length = 0;

    // Baseline: the same bytes through JSON alone, no checking and no merge.
    at = performance.now();
    for (const file of files) JSON.stringify(JSON.parse(await readFile(file, 'utf8')) as unknown, null, 2);
    const baseline = seconds(at);

    const s = (value: number): string => value.toFixed(2);
    const frameGaps = merged.summary.frameGapMs;
    return [
      `Merge of ${SHARDS} shard reports × ${STREAMS_PER_SHARD.toLocaleString('en-US')} streams (${RUN_SECONDS / 60}-minute runs at ${FPS} fps, real frame-gap HdrHistograms), one pass in one process; generating them took ${s(generated)} s`,
      '| shards | streams | MB read | read + check s | merge s | write s | total s | baseline parse + stringify s | total ÷ baseline | peak RSS MB |',
      '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
      `| ${SHARDS} | ${(SHARDS * STREAMS_PER_SHARD).toLocaleString('en-US')} | ${megabytes.toFixed(0)} | ${s(read)} | ${s(merge)} | ${s(write)} | ${s(total)} | ${s(baseline)} | ${(total / baseline).toFixed(2)}× | ${peakRssMb.toFixed(0)} |`,
      '',
      `Merged: ${merged.summary.totalFrames.toLocaleString('en-US')} frames, frame gap p50/p99/max ${frameGaps.p50}/${frameGaps.p99}/${frameGaps.max} ms`,
      `${total < TARGET_SECONDS ? '✓' : '✗'} merge of ${SHARDS} × ${STREAMS_PER_SHARD.toLocaleString('en-US')} streams under ${TARGET_SECONDS} s (${s(total)} s)`,
    ].join('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) console.log(await runMergeBench());
