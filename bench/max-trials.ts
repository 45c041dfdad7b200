// What a trial of `camera-load max` costs against a `camera-load run` of the same size, as whole processes timed
// from outside (CPU user+sys, /usr/bin/time). The fleet (another process) has 1,000 cameras × 5 fps × 20 KB
// behind a bandwidth budget that holds about 800 streams at full rate, so a search started at 1,000 with
// --min-fps 4.5 and --precision 32 runs 6 trials at levels between 500 and 1,000. Each level the max report
// lists is then run as its own `camera-load run` for the same trial length, and a run of 1 stream for 1 s gives
// what a process costs whatever it does (start-up, report, exit; the median of 3), taken off both sides.
// Run: npm run bench -- max-trials [--seconds S] [--repeat R]
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { check, loadAverage, median, quietRunArgs, spread, TIME, timed, withFleet, type Timed } from './timing.js';

const CLI = fileURLToPath(new URL('../../bin/camera-load.js', import.meta.url));
const CAMERAS = 1000;
const FPS = 5;
/** About 800 streams × 5 fps × 20 KB parts with their headers: above it, every stream slows in proportion. */
const BANDWIDTH = '80MB/s';
const MIN_FPS = 4.5;
const PRECISION = 32;
const COOLDOWN_SECONDS = 2;

export interface MaxTrialsOptions {
  seconds?: number;
  repeat?: number;
}

interface Round {
  max: Timed;
  levels: number[];
  runs: Timed[];
  empty: Timed;
  load: string;
}

async function maxProcess(dir: string, camerasFile: string, seconds: number, round: number): Promise<{ run: Timed; levels: number[] }> {
  const report = join(dir, `max-${round}.json`);
  const args = ['max', '--cameras-file', camerasFile, '--start', String(CAMERAS), '--trial', `${seconds}s`, '--cooldown', `${COOLDOWN_SECONDS}s`];
  args.push('--min-fps', String(MIN_FPS), '--precision', String(PRECISION), '--quiet', '--output', report, '--log', join(dir, `max-${round}.log`));
  const run = await timed([process.execPath, CLI, ...args], 8 * (seconds + COOLDOWN_SECONDS + 20) * 1000);
  const levels = existsSync(report) ? (JSON.parse(readFileSync(report, 'utf8')) as { trials: { level: number }[] }).trials.map((t) => t.level) : [];
  if (run.code !== 0 && run.code !== 1) throw new Error(`camera-load max exited with ${run.code}`);
  return { run, levels };
}

function runProcess(dir: string, camerasFile: string, streams: number, seconds: number, name: string): Promise<Timed> {
  const args = quietRunArgs({ camerasFile, streams, seconds, report: join(dir, `${name}.json`), log: join(dir, `${name}.log`) });
  return timed([process.execPath, CLI, ...args], (seconds + 60) * 1000);
}

export async function runMaxTrialsBench(options: MaxTrialsOptions): Promise<string> {
  if (!existsSync(TIME)) return `${TIME} is not installed: the whole-process bench times processes with it (apt-get install time).`;
  const seconds = options.seconds ?? 10;
  const repeat = options.repeat ?? 2;
  const dir = mkdtempSync(join(tmpdir(), 'bench-max-'));
  try {
    const rounds = await withFleet(
      CAMERAS,
      FPS,
      async (fleet) => {
        const camerasFile = join(dir, 'cameras.json');
        const urls = Array.from({ length: CAMERAS }, (_, i) => ({
          id: String(101 + i),
          name: `Camera ${101 + i}`,
          status: 1,
          fr_url: `http://127.0.0.1:${fleet.port}/fr/${101 + i}/stream`,
        }));
        writeFileSync(camerasFile, JSON.stringify(urls));
        const rows: Round[] = [];
        let levels: number[] = [];
        for (let round = 1; round <= repeat; round++) {
          // Alternating which goes first (the runs take the levels of the round before), so a drift of the
          // machine's speed falls on both.
          const runsFirst = round % 2 === 0 && levels.length > 0;
          const runLevels = async (list: number[], tag = ''): Promise<Timed[]> => {
            const out: Timed[] = [];
            for (const [i, level] of list.entries()) out.push(await runProcess(dir, camerasFile, level, seconds, `run-${round}-${tag}${i}`));
            return out;
          };
          const early = runsFirst ? await runLevels(levels) : [];
          const byLevel = new Map(levels.map((level, i) => [level, early[i]]));
          const max = await maxProcess(dir, camerasFile, seconds, round);
          levels = max.levels;
          // The search can take another path than the round before (a level near the limit held or not): the
          // levels it tried and the runs before did not are run now, so both sides cover the same levels.
          const runs: Timed[] = [];
          for (const [i, level] of levels.entries()) runs.push(byLevel.get(level) ?? ((await runLevels([level], `${i}`))[0] as Timed));
          const empties: Timed[] = [];
          for (let i = 0; i < 3; i++) empties.push(await runProcess(dir, camerasFile, 1, 1, `empty-${round}-${i}`));
          const empty = empties.sort((a, b) => a.cpuSeconds - b.cpuSeconds)[1] as Timed;
          rows.push({ max: max.run, levels, runs, empty, load: loadAverage() });
          process.stderr.write(
            `[max-trials round ${round}/${repeat}] max ${max.run.cpuSeconds.toFixed(2)} CPU-s over ${max.levels.join(', ')}; ` +
              `runs ${runs.map((r) => r.cpuSeconds.toFixed(2)).join(', ')} over ${levels.join(', ')}; 1-stream run ${empty.cpuSeconds.toFixed(2)}; load ${loadAverage()}\n`,
          );
        }
        return rows;
      },
      ['--bandwidth', BANDWIDTH],
    );
    return format(rounds, seconds);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);

function format(rounds: Round[], seconds: number): string {
  const perTrial = rounds.map((r) => {
    const base = r.empty.cpuSeconds;
    const max = (r.max.cpuSeconds - base) / r.levels.length;
    const run = sum(r.runs.map((x) => x.cpuSeconds - base)) / r.runs.length;
    return { max, run, ratio: max / run, whole: r.max.cpuSeconds / sum(r.runs.map((x) => x.cpuSeconds)) };
  });
  const ratio = median(perTrial.map((p) => p.ratio));
  const lines = rounds.map(
    (r, i) =>
      `| ${i + 1} | ${r.levels.join(', ')} | ${r.max.cpuSeconds.toFixed(2)} | ${sum(r.runs.map((x) => x.cpuSeconds)).toFixed(2)} | ${r.empty.cpuSeconds.toFixed(2)} | ` +
      `${(perTrial[i]?.max ?? NaN).toFixed(2)} | ${(perTrial[i]?.run ?? NaN).toFixed(2)} | ${(perTrial[i]?.ratio ?? NaN).toFixed(3)}× | ${r.max.wallSeconds.toFixed(0)} | ${r.load} |`,
  );
  return [
    `**camera-load max, ${CAMERAS.toLocaleString('en-US')} cameras × ${FPS} fps × 20 KB behind ${BANDWIDTH}, ${seconds} s trials, against a run of each trial's size**`,
    '',
    '| round | trial levels | max: CPU-s | the runs: CPU-s (sum) | 1-stream run: CPU-s | max: CPU-s per trial | run: CPU-s per trial | ratio | max: wall s | load average after |',
    '|---:|---|---:|---:|---:|---:|---:|---:|---:|---|',
    ...lines,
    '',
    `Per trial = (process CPU − the 1-stream run's) ÷ trials. max ÷ the runs, whole processes: ${median(perTrial.map((p) => p.whole)).toFixed(3)}×${spread(
      perTrial.map((p) => p.whole),
      3,
    )}.`,
    '',
    check(
      ratio <= 1.1,
      `max's CPU per trial ${ratio.toFixed(3)}× a run of the same size${spread(
        perTrial.map((p) => p.ratio),
        3,
      )} (target ≤ 1.10×)`,
    ),
  ].join('\n');
}
