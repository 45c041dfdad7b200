import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/report-types.js';
import { startSimulator, type RunningSimulator } from '../../src/sim/simulator.js';
import { schemaErrors } from '../helpers/report-schema.js';
import { runCli, startCli, waitForExit } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';

// `--output -`: the report as the last line of stdout, for `kubectl logs pod | tail -n 1`.

const dir = tempDir('stdout-report');

describe('run --output -', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator({ cameras: 2, inactive: 0, fps: 10, frameBytes: 2_000 });
  });
  afterAll(() => sim.close());

  it('prints the summary, then the report as one JSON line, last; the log keeps its default name; no report file', async () => {
    const cwd = join(dir, 'default-log');
    mkdirSync(cwd);
    const result = await runCli(['--api-url', sim.apiUrl, '--max-streams', '2', '--duration', '1s', '--output', '-'], { cwd, timeoutMs: 20_000 });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    const report = JSON.parse(lines.at(-1) ?? '') as Report;
    expect(schemaErrors(report)).toBe('');
    expect(report.summary.streamsOpened).toBe(2);
    expect(result.stdout.endsWith(`${lines.at(-1) ?? ''}\n`)).toBe(true);
    expect(result.stdout.indexOf('KEY METRICS')).toBeGreaterThanOrEqual(0);
    expect(result.stdout.indexOf('KEY METRICS')).toBeLessThan(result.stdout.indexOf('{"schemaVersion"'));
    expect(result.stdout).toMatch(/^Report: +stdout/m);
    expect(readdirSync(cwd).filter((name) => name.endsWith('.json'))).toEqual([]);
    expect(readdirSync(cwd).filter((name) => /^camera_load_test_\d{8}_\d{6}\.log$/.test(name))).toHaveLength(1);
    expect(readdirSync(cwd)).not.toContain('-');
  }, 30_000);

  it('with --quiet, stdout is the report alone, on one line', async () => {
    const result = await runCli([
      '--api-url',
      sim.apiUrl,
      '--max-streams',
      '1',
      '--duration',
      '1s',
      '--output',
      '-',
      '--quiet',
      '--log',
      join(dir, 'quiet.log'),
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')).toHaveLength(2);
    expect((JSON.parse(result.stdout) as Report).summary.streamsOpened).toBe(1);
  }, 30_000);

  it('a reader that closes stdout before the report (| head): the report is saved as a file, named, exit 5', async () => {
    const cwd = join(dir, 'closed-pipe');
    mkdirSync(cwd);
    const child = startCli(['--api-url', sim.apiUrl, '--max-streams', '1', '--duration', '1s', '--output', '-', '--log', join(dir, 'closed.log')], { cwd });
    // The reader goes away at the first line it gets (the summary comes before the report).
    child.stdout.once('data', () => {
      child.stdout.destroy();
    });
    const result = await waitForExit(child, 20_000);
    expect(result.code).toBe(5);
    const saved = readdirSync(cwd).filter((name) => /^camera_stream_load_test_report_\d{8}_\d{6}\.json$/.test(name));
    expect(saved).toHaveLength(1);
    expect(result.stderr).toMatch(new RegExp(`--output -: stdout was closed before the report was written; saved to .*${saved[0] ?? 'none'} instead`));
    expect((JSON.parse(readFileSync(join(cwd, saved[0] ?? ''), 'utf8')) as Report).summary.streamsOpened).toBe(1);
  }, 30_000);

  it('a file named ./- is still a file', async () => {
    const cwd = join(dir, 'dash-file');
    mkdirSync(cwd);
    const result = await runCli(
      ['--api-url', sim.apiUrl, '--max-streams', '1', '--duration', '1s', '--output', './-', '--quiet', '--log', join(dir, 'dash.log')],
      { cwd },
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(readdirSync(cwd)).toEqual(['-']);
  }, 30_000);
});
