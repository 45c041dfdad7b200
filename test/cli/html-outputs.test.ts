import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/report-types.js';
import { startSimulator, type RunningSimulator } from '../../src/sim/simulator.js';
import { runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';

// Where --html writes and how `camera-load report` reads reports back; what the page shows is the browser test's.

const dir = tempDir('html-outputs');
const DATA = /<script type="application\/json" id="data">/;

describe('--html and camera-load report', () => {
  let sim: RunningSimulator;
  let report: string;
  beforeAll(async () => {
    sim = await startSimulator({ cameras: 3, inactive: 0, fps: 10, frameBytes: 2_000 });
  });
  afterAll(() => sim.close());

  it('run --html alone writes the page beside the report, with its name, and lists it', async () => {
    report = join(dir, 'run.json');
    const result = await runCli([
      '--api-url',
      sim.apiUrl,
      '--max-streams',
      '3',
      '--duration',
      '1s',
      '--output',
      report,
      '--log',
      join(dir, 'run.log'),
      '--html',
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`HTML:   ${join(dir, 'run.html')}`);
    const page = readFileSync(join(dir, 'run.html'), 'utf8');
    expect(page).toMatch(/^<!DOCTYPE html>/i);
    expect(page).toMatch(DATA);
    expect((JSON.parse(readFileSync(report, 'utf8')) as Report).config.html).toBe(join(dir, 'run.html'));
  });

  it('report <file> prints the summary again; --html [file] draws it; --quiet prints nothing', async () => {
    const shown = await runCli(['report', report]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain('KEY METRICS');
    expect(shown.stdout).toContain('Streams opened:          3 of 3 streams');
    const drawn = await runCli(['report', report, '--html', join(dir, 'again.html'), '--quiet']);
    expect(drawn).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(readFileSync(join(dir, 'again.html'), 'utf8')).toMatch(DATA);
  });

  it('max --html draws the trials; merge --html the merged report', async () => {
    const max = await runCli(
      [
        'max',
        '--api-url',
        sim.apiUrl,
        '--start',
        '2',
        '--trial',
        '1s',
        '--cooldown',
        '100ms',
        '--output',
        join(dir, 'max.json'),
        '--log',
        join(dir, 'max.log'),
        '--html',
      ],
      {
        timeoutMs: 60_000,
      },
    );
    expect(max.stderr).toBe('');
    expect(max.stdout).toContain(`HTML:   ${join(dir, 'max.html')}`);
    expect(readFileSync(join(dir, 'max.html'), 'utf8')).toMatch(DATA);
    const shards = [1, 2].map((i) => join(dir, `shard-${i}.json`));
    const common = ['--api-url', sim.apiUrl, '--max-streams', '2', '--duration', '1s', '--quiet'];
    const runs = await Promise.all(
      shards.map((file, i) => runCli([...common, '--shard', `${i + 1}/2`, '--output', file, '--log', join(dir, `shard-${i}.log`)])),
    );
    for (const run of runs) expect(run.code).toBe(0);
    const merged = await runCli(['merge', ...shards, '--output', join(dir, 'merged.json'), '--html', join(dir, 'merged-page.html')]);
    expect(merged.code).toBe(0);
    expect(merged.stdout).toContain(`HTML:   ${join(dir, 'merged-page.html')}`);
    const reread = await runCli(['report', join(dir, 'merged.json'), '--html', '--quiet']);
    expect(reread.code).toBe(0);
    expect(existsSync(join(dir, 'merged.html'))).toBe(true);
  }, 90_000);

  it('--output - --html: the page takes the default report name, in the working folder', async () => {
    const cwd = join(dir, 'stdout');
    mkdirSync(cwd);
    const result = await runCli(
      ['--api-url', sim.apiUrl, '--max-streams', '1', '--duration', '1s', '--output', '-', '--html', '--quiet', '--log', join(cwd, 'x.log')],
      { cwd },
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^\{.*\}\n$/s);
    expect(readFileSync(join(cwd, 'x.log'), 'utf8')).toMatch(/camera_stream_load_test_report_\d{8}_\d{6}\.html/);
  });

  it('bad input: one line, exit 2, nothing run', async () => {
    const notJson = join(dir, 'not.json');
    writeFileSync(notJson, 'hello');
    const cases: [string[], RegExp][] = [
      [['report', join(dir, 'missing.json')], /missing\.json: cannot read it \(ENOENT\)/],
      [['report', notJson], /not\.json: not JSON \(ERR_NOT_A_REPORT\)/],
      [['report', join(dir, 'run.log')], /run\.log: not JSON \(ERR_NOT_A_REPORT\)/],
      [['--api-url', sim.apiUrl, '--output', join(dir, 'same.html'), '--html', join(dir, 'same.html')], /--output and --html name the same file/],
      [['--api-url', sim.apiUrl, '--html', join(dir, 'run.json', 'x.html')], /--html .*x\.html: /],
    ];
    for (const [args, message] of cases) {
      const result = await runCli(args, { cwd: dir });
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(message);
    }
    const newer = join(dir, 'newer.json');
    writeFileSync(newer, JSON.stringify({ ...(JSON.parse(readFileSync(report, 'utf8')) as Report), schemaVersion: 3 }));
    const result = await runCli(['report', newer]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/written by a newer camera-load \(schema 3; this one reads 2\): read it with that version/);
  });
});
