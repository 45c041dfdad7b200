import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/report-types.js';
import { startSimulator, type RunningSimulator } from '../../src/sim/simulator.js';
import { json, startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';
import { runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';
import { readJson } from '../helpers/read-json.js';

const dir = tempDir('cameras');

describe('camera-load cameras: list once, write the file every shard reads', () => {
  let sim: RunningSimulator;
  let api: FixtureServer;

  beforeAll(async () => {
    sim = await startSimulator({ cameras: 22, inactive: 2, fps: 10, frameBytes: 2_000 });
    // Credentials in the API URL and in one camera's URL: neither may reach the file.
    api = await startFixtureServer((req, res, origin) => {
      if (req.url === '/broken/') {
        json(res, 500, { detail: 'down' });
        return;
      }
      json(res, 200, {
        cameras: [
          { id: 1, name: 'Gate', status: 1, fr_url: `${origin.replace('//', '//cam:hunter2@')}/fr/1` },
          { id: 2, name: 'Yard', status: 1, fr_url: '/fr/2?token=abc123' },
          { id: 3, name: 'Off', status: 0, fr_url: '/fr/3' },
        ],
      });
    });
  });
  afterAll(async () => {
    await sim.close();
    await api.close();
  });

  it('shows a table of the first 20 and writes a file that run --cameras-file streams from', async () => {
    const file = join(dir, 'sim-cameras.json');
    const listed = await runCli(['cameras', '--api-url', sim.apiUrl, '--output', file]);
    expect(listed.stderr).toBe('');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/^22 cameras ready to stream .*\(24 listed, 22 active/);
    expect(listed.stdout).toContain('… and 2 more');
    expect(listed.stdout).toContain(`Cameras: ${file}`);
    const written = readJson<{ cameras: { id: string; status: number; fr_url: string }[] }>(file);
    expect(written.cameras).toHaveLength(22);
    expect(written.cameras.every((c) => c.status === 1 && c.fr_url.startsWith('http://127.0.0.1:'))).toBe(true);

    const out = join(dir, 'from-file.json');
    const run = await runCli([
      '--cameras-file',
      file,
      '--max-streams',
      '3',
      '--duration',
      '1s',
      '--output',
      out,
      '--log',
      join(dir, 'from-file.log'),
      '--quiet',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const report = readJson<Report>(out);
    expect(report.summary.camerasActive).toBe(22);
    expect(report.summary.streamsOpened).toBe(3);
    expect(report.streams.map((s) => s.cameraId)).toEqual(written.cameras.slice(0, 3).map((c) => c.id));
  }, 30_000);

  it('leaves user:password out of the file, says how to give them, and redacts the table', async () => {
    const file = join(dir, 'api-cameras.json');
    const apiUrl = `${api.url.replace('//', '//api:s3cr3t@')}/cams/`;
    const result = await runCli(['cameras', '--api-url', apiUrl, '--output', file]);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(
      /warning: 2 camera URL\(s\) held credentials.*give them to every run that reads it: --camera-auth user:password or CAMERA_AUTH for Basic or Digest; --header 'Authorization: Bearer <token>' or CAMERA_API_TOKEN for a bearer token/,
    );
    const text = readFileSync(file, 'utf8');
    expect(text).not.toMatch(/hunter2|s3cr3t|cam:/);
    expect(readJson<{ cameras: { fr_url: string }[] }>(file).cameras.map((c) => c.fr_url)).toEqual([`${api.url}/fr/1`, `${api.url}/fr/2?token=abc123`]);
    expect(result.stdout + result.stderr).not.toMatch(/hunter2|s3cr3t|abc123/);
  });

  it('--output - prints the file on stdout (the table goes to stderr), and nothing else', async () => {
    const result = await runCli(['cameras', '--api-url', `${api.url}/cams/`, '--output', '-']);
    expect(result.code).toBe(0);
    expect((JSON.parse(result.stdout) as { cameras: unknown[] }).cameras).toHaveLength(2);
    expect(result.stderr).toMatch(/^2 cameras ready to stream/);
    const quiet = await runCli(['cameras', '--api-url', `${api.url}/cams/`, '--output', '-', '--quiet']);
    // --quiet drops the table; the warning about the credentials left out stays.
    expect(quiet.stderr).not.toMatch(/ready to stream/);
    expect(JSON.parse(quiet.stdout)).toEqual(JSON.parse(result.stdout));
  });

  it('a failing source exits 3 and writes no file; an unwritable file exits 2 before the API is asked', async () => {
    const file = join(dir, 'never.json');
    const failed = await runCli(['cameras', '--api-url', `${api.url}/broken/`, '--output', file]);
    expect(failed.code).toBe(3);
    expect(existsSync(file)).toBe(false);

    const blocker = join(dir, 'a-file');
    writeFileSync(blocker, '');
    const asked = api.requests.length;
    const unwritable = await runCli(['cameras', '--api-url', `${api.url}/cams/`, '--output', join(blocker, 'cameras.json')]);
    expect(unwritable.code).toBe(2);
    expect(api.requests.length).toBe(asked);

    const twoSources = await runCli(['cameras', '--api-url', `${api.url}/cams/`, '--url', 'http://127.0.0.1:9/x']);
    expect(twoSources.code).toBe(2);
  });
});
