import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompareResult } from '../../src/compare/compare-types.js';
import { startSimulator, type RunningSimulator } from '../../src/sim/simulator.js';
import { runCli } from '../helpers/run-cli.js';
import { caseFolders, tempDir } from '../helpers/temp-dir.js';

// `camera-load compare` and `run --baseline` as a user runs them, on real runs of the simulator: the same fleet
// twice reads the same, a fleet at 3 fps instead of 5 reads worse on fps and frame gaps (and back, better).

const dir = tempDir('compare');
const folder = caseFolders(dir);
const validate = new Ajv({ allErrors: true, strict: true }).compile(
  JSON.parse(readFileSync(new URL('../../schema/compare.schema.json', import.meta.url), 'utf8')) as object,
);

const CAMERAS = 8;
const RUN_ARGS = ['--max-streams', String(CAMERAS), '--duration', '6s', '--quiet'];
let fast: RunningSimulator;
let slow: RunningSimulator;
const reports = { base: join(dir, 'base.json'), same: join(dir, 'same.json'), slow: join(dir, 'slow.json') };

async function runAgainst(sim: RunningSimulator, output: string, more: string[] = []) {
  return runCli(['run', '--api-url', sim.apiUrl, ...RUN_ARGS, '--output', output, '--log', `${output}.log`, ...more], { timeoutMs: 40_000 });
}

beforeAll(async () => {
  fast = await startSimulator({ cameras: CAMERAS, inactive: 0, fps: 5, frameBytes: 5_000 });
  slow = await startSimulator({ cameras: CAMERAS, inactive: 0, fps: 3, frameBytes: 5_000 });
  for (const [sim, output] of [
    [fast, reports.base],
    [fast, reports.same],
    [slow, reports.slow],
  ] as const) {
    const result = await runAgainst(sim, output);
    expect(result.code, result.stderr).toBe(0);
  }
}, 120_000);

afterAll(async () => {
  await fast.close();
  await slow.close();
});

const compare = (...args: string[]) => runCli(['compare', ...args], { timeoutMs: 20_000 });
const readResult = (file: string): CompareResult => JSON.parse(readFileSync(file, 'utf8')) as CompareResult;

describe('camera-load compare on real runs', () => {
  it('the same fleet twice: same on every line (exit 0), in the table, the JSON result and JUnit', async () => {
    const out = folder();
    const result = await compare(reports.base, reports.same, '--output', join(out, 'result.json'), '--junit', join(out, 'junit.xml'));
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^camera-load compare: SAME/);
    const json = readResult(join(out, 'result.json'));
    expect(validate(json), JSON.stringify(validate.errors)).toBe(true);
    expect(json.lines.filter((l) => l.verdict === 'worse' || l.verdict === 'better').map((l) => l.figure)).toEqual([]);
    expect(readFileSync(join(out, 'junit.xml'), 'utf8')).toMatch(/<testsuites name="camera-load compare" tests="\d+" failures="0"/);
  });

  it('3 fps against 5: worse on fps and frame gaps (exit 1), named in the table, JUnit and the job summary', async () => {
    const out = folder();
    const summary = join(out, 'summary.md');
    writeFileSync(summary, '');
    const result = await runCli(['compare', reports.base, reports.slow, '--junit', join(out, 'junit.xml'), '--output', join(out, 'result.json')], {
      env: { GITHUB_STEP_SUMMARY: summary },
      timeoutMs: 20_000,
    });
    expect(result.code, result.stdout + result.stderr).toBe(1);
    expect(result.stdout).toMatch(/^camera-load compare: WORSE: NEW is worse than BASE on \d+ figures: .*fps per stream, median/);
    const json = readResult(join(out, 'result.json'));
    const verdictOf = (figure: string): string | undefined => json.lines.find((l) => l.figure === figure && l.scope.stage === undefined)?.verdict;
    expect([verdictOf('fps'), verdictOf('freshFps'), verdictOf('frameGap.p50'), verdictOf('bandwidth')]).toEqual(['worse', 'worse', 'worse', 'worse']);
    expect([verdictOf('reconnections'), verdictOf('stalls')]).toEqual(['same', 'same']);
    expect(readFileSync(join(out, 'junit.xml'), 'utf8')).toMatch(
      /<testcase classname="camera-load.compare" name="fps per stream, median \(fps\)" time="0">\n {6}<failure message="worse: /,
    );
    expect(readFileSync(summary, 'utf8')).toMatch(/## camera-load compare: WORSE[\s\S]*\| fps per stream, median \(fps\) \| [45]\.\d\d \| [23]\.\d\d \|/);
  });

  it('and the other way round: better, exit 0', async () => {
    const out = join(folder(), 'result.json');
    const result = await compare(reports.slow, reports.base, '--output', out, '--quiet');
    expect(readResult(out).worse).toEqual([]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(readResult(out).verdict).toBe('better');
  });

  it('refuses what it cannot compare: exit 2 with one line naming the file and the code', async () => {
    const notJson = join(folder(), 'notes.json');
    writeFileSync(notJson, 'not json');
    const refusals = [
      [[reports.base, notJson], /notes\.json: not JSON \(ERR_NOT_A_REPORT\)/],
      [[reports.base, new URL('../fixtures/html/max.json', import.meta.url).pathname], /BASE is a run's report, NEW a max report: .*\(ERR_COMPARE_KINDS\)/],
      [
        [reports.base, new URL('../fixtures/compare/run.json', import.meta.url).pathname],
        /BASE has 8 streams over 8 cameras, NEW 12 streams over 12 cameras.*ERR_COMPARE_PLANS/,
      ],
      [[reports.base, reports.same, '--noise', 'loud'], /--noise expects a share/],
      [[reports.base, reports.same, '--output', reports.same], /--output names the NEW report .*same\.json; give it a file of its own/],
    ] as const;
    for (const [args, message] of refusals) {
      const result = await compare(...args);
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(message);
    }
  });
});

describe('run --baseline', () => {
  it('compares at the end: the slower fleet exits 1, the report is still written, JUnit and the job summary hold the comparison', async () => {
    const out = folder();
    const [report, junit, summary] = [join(out, 'report.json'), join(out, 'junit.xml'), join(out, 'summary.md')];
    writeFileSync(summary, '');
    const args = ['run', '--api-url', slow.apiUrl, '--max-streams', String(CAMERAS), '--duration', '6s', '--output', report, '--log', `${report}.log`];
    const result = await runCli([...args, '--junit', junit, '--baseline', reports.base], { env: { GITHUB_STEP_SUMMARY: summary }, timeoutMs: 40_000 });
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toMatch(/camera-load compare: WORSE[\s\S]*fps per stream, median \(fps\)[\s\S]*Report: /);
    expect(existsSync(report)).toBe(true);
    expect(readFileSync(junit, 'utf8')).toMatch(
      /<testsuite name="camera-load streams"[\s\S]*<testsuite name="camera-load compare: [^"]*base\.json → [^"]*report\.json" tests="\d+" failures="[1-9]/,
    );
    expect(readFileSync(summary, 'utf8')).toMatch(/^## camera-load: PASSED[\s\S]*## camera-load compare: WORSE/);
  });

  it('checks its file and its plan before anything runs (exit 2, no report)', async () => {
    const out = join(folder(), 'report.json');
    const missing = await runAgainst(fast, out, ['--baseline', join(dir, 'missing.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/missing\.json: cannot read it \(ENOENT\)/);
    const fewer = await runCli(
      [
        'run',
        '--api-url',
        fast.apiUrl,
        '--max-streams',
        '4',
        '--duration',
        '6s',
        '--quiet',
        '--output',
        out,
        '--log',
        `${out}.log`,
        '--baseline',
        reports.base,
      ],
      {
        timeoutMs: 40_000,
      },
    );
    expect(fewer.code).toBe(2);
    expect(fewer.stderr).toMatch(/--baseline .*base\.json: BASE has 8 streams over 8 cameras, NEW 4 streams over 4 cameras.*ERR_COMPARE_PLANS/);
    expect(existsSync(out)).toBe(false);
  });
});

describe('max --baseline', () => {
  async function search(maxClients: number, output: string, more: string[] = []) {
    const sim = await startSimulator({ cameras: 10, inactive: 0, fps: 5, frameBytes: 5_000, maxClients });
    try {
      const args = ['max', '--api-url', sim.apiUrl, '--trial', '2s', '--cooldown', '200ms', '--interval', '500ms', '--quiet'];
      return await runCli([...args, '--output', output, '--log', `${output}.log`, ...more], { timeoutMs: 90_000 });
    } finally {
      await sim.close();
    }
  }

  it('a server that now holds 3 streams where it held 6 is worse (exit 1); a run report or another trial length is refused first (exit 2)', async () => {
    const out = folder();
    const base = join(out, 'base-max.json');
    expect((await search(6, base)).code).toBe(0);
    const worse = await search(3, join(out, 'new-max.json'), ['--baseline', base]);
    expect(worse.code, worse.stderr).toBe(1);
    // And afterwards, as compare reads two searches: one line, worse; the page is for runs.
    const after = await compare(base, join(out, 'new-max.json'));
    expect([after.code, after.stdout]).toEqual([1, expect.stringMatching(/maximum stable streams \(streams\) +6 +3 .* WORSE/)]);
    expect((await compare(base, join(out, 'new-max.json'), '--html')).stderr).toMatch(/--html draws two runs' distributions/);
    const refusedRun = await search(3, join(out, 'refused.json'), ['--baseline', reports.base]);
    expect([refusedRun.code, refusedRun.stderr]).toEqual([
      2,
      expect.stringMatching(/a run report; max compares with a max report \(ERR_COMPARE_NOT_A_SEARCH\)/),
    ]);
    const refusedTrial = await search(3, join(out, 'refused.json'), ['--baseline', base, '--trial', '3s']);
    expect([refusedTrial.code, refusedTrial.stderr]).toEqual([2, expect.stringMatching(/the searches differ in trialSeconds.*ERR_COMPARE_PLANS/)]);
    expect(existsSync(join(out, 'refused.json'))).toBe(false);
  }, 120_000);
});
