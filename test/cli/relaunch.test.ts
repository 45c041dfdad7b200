import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GC_FLAGS } from '../../src/launcher/gc-tuning.js';
import { startSimulator, type RunningSimulator } from '../../src/sim/simulator.js';
import { BIN, runCli, startCli, waitForExit, waitForLine } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';

// The relaunched process is found through /proc, as an operator would see it in `ps`.
const onLinux = process.platform === 'linux';
const dir = tempDir('relaunch');
let counter = 0;
const paths = () => {
  counter++;
  return { report: join(dir, `report-${counter}.json`), log: join(dir, `log-${counter}.log`) };
};
const interrupted = (path: string): boolean => (JSON.parse(readFileSync(path, 'utf8')) as { interrupted: boolean }).interrupted;

function childrenOf(pid: number): number[] {
  return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(' ').filter(Boolean).map(Number);
}
const commandLine = (pid: number): string[] => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);

async function gone(pid: number, timeoutMs: number): Promise<boolean> {
  for (const started = performance.now(); performance.now() - started < timeoutMs;) {
    if (!existsSync(`/proc/${pid}`)) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ cameras: 2, inactive: 0, frameBytes: 2_000 });
});
afterAll(() => sim.close());

const runArgs = (out: { report: string; log: string }, duration = '60s') => [
  '--api-url',
  sim.apiUrl,
  '--max-streams',
  '2',
  '--duration',
  duration,
  '--output',
  out.report,
  '--log',
  out.log,
];

describe.skipIf(!onLinux)('run and max start Node again with the garbage-collector flags (spawned like a user)', () => {
  it("the run happens in one child started with the flags, and its exit code is the launcher's", async () => {
    const out = paths();
    const cli = startCli(runArgs(out, '3s'));
    const exited = waitForExit(cli, 20_000);
    await waitForLine(cli, /^Streaming 2 streams/);
    const [child, ...others] = childrenOf(cli.pid ?? 0);
    expect(others).toEqual([]);
    const args = commandLine(child ?? 0);
    expect(args.slice(1, 1 + GC_FLAGS.length)).toEqual(GC_FLAGS);
    expect(args).toContain(BIN);
    const result = await exited;
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(interrupted(out.report)).toBe(false);
  });

  it('a usage error: exit 2 from the child, said once', async () => {
    const result = await runCli(['--duration', 'abc']);
    expect(result.code).toBe(2);
    expect(result.stderr.match(/--duration expects a duration/g)).toHaveLength(1);
  });

  it('Ctrl+C in a terminal signals both processes: still one clean stop, exit 130, report written', async () => {
    const out = paths();
    // Its own process group, signalled as a whole, as a terminal does its foreground job.
    const cli = spawn(process.execPath, [BIN, ...runArgs(out)], { env: { ...process.env, CI: 'true' }, detached: true, stdio: 'pipe' });
    const exited = waitForExit(cli, 20_000);
    try {
      await waitForLine(cli, /^Streaming 2 streams/);
      process.kill(-(cli.pid ?? 0), 'SIGINT');
      const result = await exited;
      expect(result.code).toBe(130);
      // A second interrupt would have stopped it at once, without the report.
      expect(result.stdout).toContain('camera-load: INTERRUPTED — stopped after');
      expect(interrupted(out.report)).toBe(true);
    } finally {
      if (cli.exitCode === null) process.kill(-(cli.pid ?? 0), 'SIGKILL');
    }
  });

  it('SIGTERM to the launcher alone reaches the run: exit 130, report written', async () => {
    const out = paths();
    const cli = startCli(runArgs(out));
    const exited = waitForExit(cli, 20_000);
    await waitForLine(cli, /^Streaming 2 streams/);
    cli.kill('SIGTERM');
    const result = await exited;
    expect(result.code).toBe(130);
    expect(interrupted(out.report)).toBe(true);
  });

  it('a child killed by a signal ends the launcher by the same signal', async () => {
    const cli = startCli(runArgs(paths()));
    const exited = waitForExit(cli, 20_000);
    await waitForLine(cli, /^Streaming 2 streams/);
    process.kill(childrenOf(cli.pid ?? 0)[0] ?? 0, 'SIGKILL');
    const result = await exited;
    expect(result.code).toBeNull();
    expect(result.signal).toBe('SIGKILL');
  });

  it('a launcher killed outright leaves no run behind: the child stops and writes its report', async () => {
    const out = paths();
    const cli = startCli(runArgs(out));
    const exited = waitForExit(cli, 20_000);
    await waitForLine(cli, /^Streaming 2 streams/);
    const child = childrenOf(cli.pid ?? 0)[0] ?? 0;
    cli.kill('SIGKILL');
    try {
      expect(await gone(child, 10_000)).toBe(true);
      await exited;
      expect(interrupted(out.report)).toBe(true);
    } finally {
      if (existsSync(`/proc/${child}`)) process.kill(child, 'SIGKILL');
    }
  });

  it('CAMERA_LOAD_NO_RELAUNCH=1: the run happens in the process started', async () => {
    const out = paths();
    const cli: ChildProcessWithoutNullStreams = startCli(runArgs(out, '2s'), { env: { CAMERA_LOAD_NO_RELAUNCH: '1' } });
    const exited = waitForExit(cli, 20_000);
    await waitForLine(cli, /^Streaming 2 streams/);
    expect(childrenOf(cli.pid ?? 0)).toEqual([]);
    expect((await exited).code).toBe(0);
  });
});
