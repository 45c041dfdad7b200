// A stream's start as users run it: whole `camera-load run` processes against the lean stream server (its own
// process, bench/lean-server.ts: exactly FPS frames a second to every viewer from the moment it is served), each
// report's start figures read back. Rows: the ramp-up kept to schedule (client lateness p99 under
// 50 ms at 1,000 streams over 10 s); the burst start of 2,000 streams × 5 fps (fps as a viewer sees it, a
// threshold at 4.9 fps, frames counted against frames sent); and 10,000 streams × 1 fps (how late camera-load gets
// at its largest): the healthy lateness the not-valid rule (src/report/stream-start.ts) must stay clear of.
// Run: npm run bench -- start [--repeat R]
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Report, StartPercentiles } from '../src/report/report-types.js';
import { CLIENT_LATENESS_LIMIT } from '../src/report/stream-start.js';
import { check, loadAverage, median, spread, TIME, timed, withLeanServer } from './timing.js';

const CLI = fileURLToPath(new URL('../../bin/camera-load.js', import.meta.url));

interface Case {
  label: string;
  streams: number;
  fps: number;
  seconds: number;
  rampUpSeconds: number;
  thresholds: string[];
}

const CASES: readonly Case[] = [
  { label: '1,000 streams, --ramp-up 10s', streams: 1_000, fps: 5, seconds: 15, rampUpSeconds: 10, thresholds: [] },
  { label: '2,000 × 5 fps, all at once', streams: 2_000, fps: 5, seconds: 25, rampUpSeconds: 0, thresholds: ['fps.p5>=4.9'] },
  { label: '10,000 × 1 fps, all at once', streams: 10_000, fps: 1, seconds: 20, rampUpSeconds: 0, thresholds: [] },
];

interface Outcome {
  code: number | null;
  wallSeconds: number;
  summary: Report['summary'] | undefined;
  framesSent: number;
}

async function runOnce(c: Case, dir: string, round: number, port: number, framesSent: () => Promise<number>): Promise<Outcome> {
  const camerasFile = join(dir, `cameras-${c.streams}.json`);
  const cameras = Array.from({ length: c.streams }, (_, i) => ({
    id: String(101 + i),
    name: `Camera ${101 + i}`,
    status: 1,
    fr_url: `http://127.0.0.1:${port}/fr/${101 + i}/stream`,
  }));
  writeFileSync(camerasFile, JSON.stringify(cameras));
  const report = join(dir, `report-${c.streams}-${round}.json`);
  const sentBefore = await framesSent();
  const args = [
    '--cameras-file',
    camerasFile,
    '--max-streams',
    String(c.streams),
    '--duration',
    String(c.seconds),
    '--quiet',
    '--output',
    report,
    '--log',
    join(dir, 'run.log'),
  ];
  if (c.rampUpSeconds > 0) args.push('--ramp-up', String(c.rampUpSeconds));
  for (const t of c.thresholds) args.push('--threshold', t);
  const run = await timed([process.execPath, CLI, 'run', ...args], (c.seconds + 60) * 1000);
  // The server counts a frame as sent once written; the last ones reach the client's socket as the run stops.
  await new Promise((resolve) => setTimeout(resolve, 500));
  const summary = existsSync(report) ? (JSON.parse(readFileSync(report, 'utf8')) as Report).summary : undefined;
  return { code: run.code, wallSeconds: run.wallSeconds, summary, framesSent: (await framesSent()) - sentBefore };
}

const p = (pick: (s: StartPercentiles) => number, of: StartPercentiles | null | undefined): number => (of ? pick(of) : NaN);

function rows(c: Case, runs: Outcome[]): string[] {
  const med = (pick: (o: Outcome) => number, digits = 0): string => `${median(runs.map(pick)).toFixed(digits)}${spread(runs.map(pick), digits)}`;
  const start = (o: Outcome) => o.summary?.start;
  return [
    `| ${c.label} | ${med((o) => p((x) => x.p50, start(o)?.clientLatenessMs))} | ${med((o) => p((x) => x.p99, start(o)?.clientLatenessMs))} | ` +
      `${med((o) => p((x) => x.max, start(o)?.clientLatenessMs))} | ${med((o) => p((x) => x.p95, start(o)?.connectQueueMs))} | ` +
      `${med((o) => p((x) => x.p50, start(o)?.timeToHeadersMs))} | ${med((o) => o.summary?.avgFpsPerStream ?? NaN, 3)} | ${med((o) => o.summary?.fpsPerStream.p5 ?? NaN, 3)} | ` +
      `${runs.map((o) => o.code).join(', ')} | ${runs.map((o) => `${o.summary?.totalFrames ?? NaN} / ${o.framesSent}`).join(', ')} | ${med((o) => o.wallSeconds - c.seconds, 2)} |`,
  ];
}

export async function runStartBench(options: { repeat?: number }): Promise<string> {
  if (!existsSync(TIME)) return `${TIME} is not installed: the start bench times processes with it (apt-get install time).`;
  const repeat = options.repeat ?? 3;
  const dir = mkdtempSync(join(tmpdir(), 'bench-start-'));
  const lines = [
    `**A stream's start, whole \`camera-load run\` processes against a server that sends every viewer exactly its fps: medians (min–max) of ${repeat} run(s); ms unless said**`,
    '',
    '| case | client lateness p50 | p99 | max | connect queue p95 | time to headers p50 | fps mean | fps p5 | exit codes | frames counted / sent | s past the duration |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---|---|---:|',
  ];
  const checks: string[] = [];
  try {
    for (const c of CASES) {
      const runs = await withLeanServer(c.fps, async (server) => {
        const out: Outcome[] = [];
        for (let round = 1; round <= repeat; round++) out.push(await runOnce(c, dir, round, server.port, () => server.framesSent()));
        return out;
      });
      lines.push(...rows(c, runs));
      process.stderr.write(`${lines.at(-1) ?? ''}\n`);
      const late = median(runs.map((o) => p((x) => x.p99, o.summary?.start?.clientLatenessMs)));
      if (c.rampUpSeconds > 0) checks.push(check(late < 50, `${c.label}: client lateness p99 ${late.toFixed(0)} ms (target under 50 ms)`));
      if (c.thresholds.length > 0) {
        const fpsOk = runs.every((o) => (o.summary?.avgFpsPerStream ?? 0) >= 4.95 && (o.summary?.fpsPerStream.p5 ?? 0) >= 4.95);
        checks.push(check(fpsOk, `${c.label}: fps per stream, mean and p5, at least 4.95 in every run`));
        checks.push(
          check(
            runs.every((o) => o.code === 0),
            `${c.label}: --threshold '${c.thresholds.join(' ')}' passed (exit 0) in every run`,
          ),
        );
      }
      const limitMs = Math.max(CLIENT_LATENESS_LIMIT.floorMs, CLIENT_LATENESS_LIMIT.shareOfDuration * c.seconds * 1000);
      const p95 = median(runs.map((o) => p((x) => x.p95, o.summary?.start?.clientLatenessMs)));
      checks.push(check(p95 < limitMs, `${c.label}: client lateness p95 ${p95.toFixed(0)} ms, under the not-valid limit of ${limitMs.toFixed(0)} ms`));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return [...lines, '', ...checks, '', `Load average after: ${loadAverage()}.`].join('\n');
}
