// What `camera-load compare` costs at its largest: two reports of 10,000 streams, built from a real run's report
// (each stream replicated under distinct camera ids, with small seeded perturbations of its figures so that the
// two sides differ as runs do), written to temporary files, then compared by the CLI as a whole process, timed
// from outside (/usr/bin/time: wall time, peak RSS). Target: under 2 s and 500 MB.
// Run: npm run bench -- compare-speed [--streams N] [--repeat R]
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Report, StreamReport } from '../src/report/report-types.js';
import { seededRandom } from '../src/random.js';
import { CLI, runCameraLoad, withFleets } from './compare-runs.js';
import { check, loadAverage, median, spread, TIME, timed } from './timing.js';

export interface CompareSpeedOptions {
  streams?: number;
  repeat?: number;
}

/** `streams` streams from the source's, each copy its own camera, its figures moved by a few percent at random. */
export function replicated(source: Report, streams: number, seed: number): Report {
  const random = seededRandom(seed);
  const jitter = (value: number, share: number): number => value * (1 + share * (2 * random() - 1));
  const copies = Array.from({ length: streams }, (_, index): StreamReport => {
    const s = source.streams[index % source.streams.length] as StreamReport;
    const copy = Math.floor(index / source.streams.length);
    return {
      ...s,
      index,
      cameraId: `${s.cameraId}-${copy}`,
      name: `${s.name} ${copy}`,
      fps: s.fps === null ? null : jitter(s.fps, 0.02),
      frames: Math.round(jitter(s.frames, 0.02)),
      bytes: Math.round(jitter(s.bytes, 0.02)),
      timeToFirstFrameMs: s.timeToFirstFrameMs === null ? null : jitter(s.timeToFirstFrameMs, 0.3),
      freshness: { ...s.freshness, freshFps: s.freshness.freshFps === null ? null : jitter(s.freshness.freshFps, 0.02) },
      reconnections: random() < 0.02 ? s.reconnections + 1 : s.reconnections,
    };
  });
  return { ...source, streams: copies };
}

export async function runCompareSpeedBench(options: CompareSpeedOptions): Promise<string> {
  if (!existsSync(TIME)) return `${TIME} is not installed: this bench times the process with it (apt-get install time).`;
  const streams = options.streams ?? 10_000;
  const repeat = options.repeat ?? 5;
  const dir = mkdtempSync(join(tmpdir(), 'bench-compare-speed-'));
  try {
    const sourceFile = await withFleets([[]], 50, ([fleet]) =>
      fleet === undefined ? Promise.reject(new Error('no fleet')) : runCameraLoad(fleet, 50, 5, dir, 'source'),
    );
    const source = JSON.parse(readFileSync(sourceFile, 'utf8')) as Report;
    const [base, next] = [join(dir, 'base.json'), join(dir, 'new.json')];
    writeFileSync(base, JSON.stringify(replicated(source, streams, 1)));
    writeFileSync(next, JSON.stringify(replicated(source, streams, 2)));
    const runs = [];
    for (let round = 1; round <= repeat; round++) {
      const run = await timed([process.execPath, CLI, 'compare', base, next, '--quiet', '--output', join(dir, 'result.json')], 60_000);
      if (run.code !== 0 && run.code !== 1) throw new Error(`camera-load compare exited with ${run.code}`);
      runs.push(run);
      process.stderr.write(
        `[compare-speed ${round}/${repeat}] ${run.wallSeconds.toFixed(2)} s, ${(run.peakRssBytes / 1e6).toFixed(0)} MB; load ${loadAverage()}\n`,
      );
    }
    const wall = median(runs.map((r) => r.wallSeconds));
    const cpu = median(runs.map((r) => r.cpuSeconds));
    const rss = median(runs.map((r) => r.peakRssBytes / 1e6));
    const mb = (file: string): string => (statSync(file).size / 1e6).toFixed(1);
    return [
      `**\`camera-load compare\` of two reports of ${streams.toLocaleString('en-US')} streams (${mb(base)} and ${mb(next)} MB), whole process, median of ${repeat} (min–max). Load average after: ${loadAverage()}**`,
      '',
      '| streams per side | wall s | CPU-s (user+sys) | peak RSS MB |',
      '|---:|---:|---:|---:|',
      `| ${streams.toLocaleString('en-US')} | ${wall.toFixed(2)}${spread(runs.map((r) => r.wallSeconds))} | ${cpu.toFixed(2)}${spread(runs.map((r) => r.cpuSeconds))} | ${rss.toFixed(0)}${spread(
        runs.map((r) => r.peakRssBytes / 1e6),
        0,
      )} |`,
      '',
      check(wall < 2 && rss < 500, `${wall.toFixed(2)} s and ${rss.toFixed(0)} MB (targets < 2 s, < 500 MB)`),
    ].join('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
