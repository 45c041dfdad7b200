import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { BIN, runCli, startCli, waitForExit, waitForLine } from '../helpers/run-cli.js';

describe('camera-load simulate (spawned like a user)', () => {
  it('prints its API URL, serves cameras and streams, and stops cleanly on SIGINT', async () => {
    const child = startCli(['simulate', '--cameras', '3', '--inactive', '1', '--frame-size', '5KB']);
    const exited = waitForExit(child);
    const line = await waitForLine(child, /^Camera API: /);
    const apiUrl = line.replace('Camera API: ', '').trim();
    expect(apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1\/camera\/$/);
    const response = await request(apiUrl);
    const page = (await response.body.json()) as { count: number; results: { fr_url: string | null; status: number }[] };
    expect(page.count).toBe(4);
    const stream = await request(page.results.find((c) => c.status === 1)?.fr_url ?? '');
    expect(stream.headers['content-type']).toBe('multipart/x-mixed-replace; boundary=frame');
    stream.body.destroy();
    child.kill('SIGINT');
    const result = await exited;
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Stopped\. Served 1 streams/);
    expect(result.stderr).toBe('');
  });

  it('stops by itself after --duration', async () => {
    const result = await runCli(['simulate', '--duration', '300ms', '--cameras', '1', '--frame-size', '1KB']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Stopping after 0.3 s');
  });

  it('lists the faulty cameras it was asked for', async () => {
    const result = await runCli(['simulate', '--duration', '100ms', '--cameras', '10', '--drop-every', '50@20%', '--frame-size', '1KB']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Faults on 2 of 10 active cameras:');
    expect(result.stdout.match(/drop-every:50/g)).toHaveLength(2);
  });

  it.each([
    [['--fps', 'abc'], /--fps expects a number above 0/],
    [['--fps', '0'], /--fps/],
    [['--cameras', '-3'], /--cameras/],
    [['--frame-size', 'huge'], /--frame-size expects a size/],
    [['--frame-size', '100'], /frame size must be 407 to 8388608 bytes/],
    [['--bandwidth', '40'], /--bandwidth expects a rate/],
    [['--respond-with', '500'], /--respond-with expects 503, 404 or html/],
    [['--drop-every', '10@150%'], /--drop-every expects a share/],
    [['--boundary-style', 'weird'], /--boundary-style/],
    [['--port', '99999'], /--port/],
    [['--bogus'], /unknown option '--bogus'/],
    [['--fps'], /argument missing/],
  ])('bad options %j: exit 2 and one line on stderr', async (args, message) => {
    const result = await runCli(['simulate', ...args]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toMatch(/^camera-load/);
  });

  it('a port in use is a configuration error (exit 2), not a crash', async () => {
    const first = startCli(['simulate', '--cameras', '1', '--frame-size', '1KB']);
    const exited = waitForExit(first);
    const port = /:(\d+)\//.exec(await waitForLine(first, /^Camera API: /))?.[1] ?? '0';
    const second = await runCli(['simulate', '--port', port]);
    first.kill('SIGTERM');
    await exited;
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(new RegExp(`port ${port} .*in use`));
  });

  it('a forked fleet stops when its parent dies without a word', async () => {
    // The parent forks the fleet, prints the child's pid once it is ready, and exits at once.
    const parent = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { fork } from 'node:child_process';
         const child = fork(${JSON.stringify(BIN)}, ['simulate', '--quiet', '--cameras', '1', '--frame-size', '1KB'], { stdio: 'ignore', execArgv: [] });
         child.on('message', () => process.stdout.write(child.pid + '\\n', () => process.exit(0)));`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    parent.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    await new Promise((resolve) => parent.on('close', resolve));
    const pid = Number(out.trim());
    expect(pid).toBeGreaterThan(0);
    const alive = (): boolean => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    for (let i = 0; i < 50 && alive(); i++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(alive()).toBe(false);
  });

  it('--help and --version exit 0', async () => {
    const help = await runCli(['simulate', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--max-clients');
    const version = await runCli(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
