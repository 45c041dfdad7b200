// How a whole `camera-load run` of many streams ends: 10,000 streams × 1 fps × 20 KB of the simulated fleet (another
// process) for --duration S, timed from outside, with the moments of the run's log: when the streams started, when
// the run ended (the streams stopped), when the report was written, and when the process exited. The target is
// the exit within 2 s of the duration. --compare OTHER/bin/camera-load.js runs another built checkout in the same
// rounds, alternating.
// Run: npm run bench -- stop [--streams N] [--seconds S] [--repeat R] [--compare OTHER/bin/camera-load.js]
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { check, loadAverage, median, quietRunArgs, spread, TIME, timed, withFleet, type Timed } from './timing.js';

const CLI = fileURLToPath(new URL('../../bin/camera-load.js', import.meta.url));

export interface StopOptions {
  streams?: number;
  seconds?: number;
  repeat?: number;
  compare?: string;
}

interface StopRun extends Timed {
  /** From the process's start to its exit, less the duration (s). */
  overDuration: number;
  /** From the process's start to the run's first connection attempts (s). */
  startUp: number;
  /** From the planned end of the run (its start + the duration) to the end of the run: the streams' stop (s). */
  stop: number;
  /** From the end of the run to the log's last line (the report and the outputs written) (s). */
  outputs: number;
  /** From the log's last line to the exit (s). */
  exit: number;
  opened: number;
  load: string;
}

async function stopRun(cli: string, dir: string, camerasFile: string, streams: number, seconds: number, name: string): Promise<StopRun> {
  const log = join(dir, `${name}.log`);
  const report = join(dir, `${name}.json`);
  const args = quietRunArgs({ camerasFile, streams, seconds, report, log });
  const startedAt = Date.now();
  const run = await timed([process.execPath, cli, ...args], (seconds + 60) * 1000);
  const exitedAt = Date.now();
  const at = (event: string): number => {
    const line = existsSync(log)
      ? readFileSync(log, 'utf8')
          .split('\n')
          .find((l) => l.includes(`"event":"${event}"`))
      : undefined;
    return line === undefined ? NaN : Date.parse((JSON.parse(line) as { time: string }).time);
  };
  const runStart = at('run-start');
  const runEnd = at('run-end');
  const end = at('end');
  const opened = existsSync(report) ? (JSON.parse(readFileSync(report, 'utf8')) as { summary: { streamsOpened: number } }).summary.streamsOpened : NaN;
  return {
    ...run,
    overDuration: (exitedAt - startedAt) / 1000 - seconds,
    startUp: (runStart - startedAt) / 1000,
    stop: (runEnd - runStart) / 1000 - seconds,
    outputs: (end - runEnd) / 1000,
    exit: (exitedAt - end) / 1000,
    opened,
    load: loadAverage(),
  };
}

export async function runStopBench(options: StopOptions): Promise<string> {
  if (!existsSync(TIME)) return `${TIME} is not installed: the whole-process bench times processes with it (apt-get install time).`;
  const streams = options.streams ?? 10_000;
  const seconds = options.seconds ?? 10;
  const repeat = options.repeat ?? 2;
  const dir = mkdtempSync(join(tmpdir(), 'bench-stop-'));
  const kinds = [{ label: 'this checkout', cli: CLI }, ...(options.compare === undefined ? [] : [{ label: options.compare, cli: options.compare }])];
  try {
    const runs = await withFleet(streams, 1, async (fleet) => {
      const camerasFile = join(dir, 'cameras.json');
      const urls = Array.from({ length: streams }, (_, i) => ({
        id: String(101 + i),
        name: `Camera ${101 + i}`,
        status: 1,
        fr_url: `http://127.0.0.1:${fleet.port}/fr/${101 + i}/stream`,
      }));
      writeFileSync(camerasFile, JSON.stringify(urls));
      const out = new Map<string, StopRun[]>(kinds.map((k) => [k.label, []]));
      for (let round = 1; round <= repeat; round++) {
        // Alternating which goes first, so a drift of the machine's load falls on both.
        const order = round % 2 === 1 ? kinds : [...kinds].reverse();
        for (const [i, kind] of order.entries()) {
          const run = await stopRun(kind.cli, dir, camerasFile, streams, seconds, `run-${round}-${i}`);
          out.get(kind.label)?.push(run);
          process.stderr.write(
            `[stop round ${round}/${repeat}] ${kind.label}: exit ${run.code}, ${run.overDuration.toFixed(2)} s over the duration (start-up ${run.startUp.toFixed(2)}, stop ${run.stop.toFixed(2)}, ` +
              `outputs ${run.outputs.toFixed(2)}, exit ${run.exit.toFixed(2)}), ${run.cpuSeconds.toFixed(2)} CPU-s, ${run.opened} opened; load ${run.load}\n`,
          );
        }
      }
      return out;
    });
    const lines = [
      `**${streams.toLocaleString('en-US')} streams × 1 fps × 20 KB, camera-load run --duration ${seconds}: how it ends, each run (load average after it)**`,
      '',
      '| camera-load | exit code | s over the duration | start-up s | stop s | report and outputs s | exit s | CPU-s | peak RSS (MB) | streams opened | load average |',
      '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|',
    ];
    for (const [label, list] of runs) {
      for (const r of list) {
        lines.push(
          `| ${label} | ${r.code} | ${r.overDuration.toFixed(2)} | ${r.startUp.toFixed(2)} | ${r.stop.toFixed(2)} | ${r.outputs.toFixed(2)} | ${r.exit.toFixed(2)} | ${r.cpuSeconds.toFixed(2)} | ${(r.peakRssBytes / 1e6).toFixed(0)} | ${r.opened} | ${r.load} |`,
        );
      }
    }
    const mine = runs.get(kinds[0]?.label ?? '') ?? [];
    const over = median(mine.map((r) => r.overDuration));
    lines.push(
      '',
      check(
        over <= 2 && mine.every((r) => r.code !== 70),
        `this checkout ends ${over.toFixed(2)} s after its duration${spread(mine.map((r) => r.overDuration))} (target ≤ 2 s, never exit 70)`,
      ),
    );
    return lines.join('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
