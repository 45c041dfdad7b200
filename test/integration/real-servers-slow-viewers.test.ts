import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/report-types.js';
import { freePort } from '../helpers/free-port.js';
import { startCli, waitForExit } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';

// The short version of `npm run bench -- slow-servers` (docs/slow-viewers-servers.md): a stuck viewer beside normal
// ones against ustreamer (Debian's, installed by test/system-packages.sh), through the CLI users run, on 127.0.0.1.
// What the bench measured, for minutes, and this pins: ustreamer neither disconnects the stuck viewer nor queues for
// it (its memory stays flat), and the normal viewers are not hurt.

const has = (command: string): boolean => spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
const READY = has('ustreamer') && has('ffmpeg');

const dir = tempDir('real-servers-slow');
let server: ChildProcess | undefined;
afterEach(() => {
  if (server?.exitCode === null && server.signalCode === null) server.kill('SIGKILL');
  server = undefined;
});

/** Waits (bounded) until something listens on `port`, from /proc/net/tcp. */
async function listening(port: number, child: ChildProcess, timeoutMs = 15_000): Promise<void> {
  const hexPort = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  const until = performance.now() + timeoutMs;
  while (performance.now() < until) {
    if (child.exitCode !== null) throw new Error(`ustreamer exited (${child.exitCode}) before listening`);
    const tables = ['/proc/net/tcp', '/proc/net/tcp6'].filter((file) => existsSync(file)).map((file) => readFileSync(file, 'utf8'));
    // Each row: sl local_address rem_address st ...; st 0A is LISTEN.
    const rows = tables.flatMap((table) => table.split('\n').slice(1)).map((row) => row.trim().split(/\s+/));
    if (rows.some((row) => row[1]?.endsWith(hexPort) === true && row[3] === '0A')) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`nothing listened on ${port} within ${timeoutMs} ms`);
}

const rssBytes = (pid: number): number | null => {
  const match = existsSync(`/proc/${pid}/status`) ? /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8')) : null;
  return match ? Number(match[1]) * 1024 : null;
};

describe.skipIf(!READY)(
  `ustreamer with a stuck viewer${READY ? '' : ' (skipped: ustreamer or ffmpeg is not installed; test/system-packages.sh installs them)'}`,
  () => {
    it('neither disconnects nor queues for the stuck viewer, and the normal viewers read on at its rate', async () => {
      // A noisy 1280×720 picture of about 700 KB: ustreamer's blank, sent once a second, so that the stuck viewer
      // refuses about 700 KB/s and its deficit outgrows what a queue of ustreamer's own could hide.
      const picture = join(dir, 'heavy.jpg');
      // prettier-ignore
      const made = spawnSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-nostdin', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=1280x720',
      '-vf', 'noise=alls=60:allf=t', '-frames:v', '1', '-q:v', '3', picture], { timeout: 20_000 });
      expect(made.status, made.stderr.toString()).toBe(0);
      const port = await freePort();
      const child = spawn(
        'ustreamer',
        ['--host', '127.0.0.1', '--port', String(port), '--device', '/dev/camera-load-no-such-device', '--blank', picture, '--no-log-colors'],
        {
          stdio: 'ignore',
        },
      );
      server = child;
      await listening(port, child);
      const pid = child.pid ?? 0;

      const output = join(dir, 'report.json');
      // prettier-ignore
      const cli = startCli(['run', '--url', `http://127.0.0.1:${port}/stream`, '--max-streams', '5', '--streams-per-camera', '5', '--duration', '12s',
      '--lead-in', '4s', '--stuck-viewers', '20%', '--output', output, '--log', join(dir, 'run.log'), '--quiet']);
      cli.stdin.end();
      const exit = waitForExit(cli, 40_000);
      const state = { done: false };
      void exit.then(() => (state.done = true));
      const rss: number[] = [];
      // Bounded: the CLI is killed after 40 s, so at most 200 samples.
      for (let i = 0; i < 200 && !state.done; i++) {
        const bytes = rssBytes(pid);
        if (bytes !== null) rss.push(bytes);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      const result = await exit;
      expect(result.code, result.stderr).toBe(0);
      const report = JSON.parse(readFileSync(output, 'utf8')) as Report;
      const groups = report.viewerGroups ?? [];
      const normal = groups.find((g) => g.group === 'normal');
      const stuck = groups.find((g) => g.group === 'stuck');
      const detail = JSON.stringify({ groups: groups.map((g) => ({ ...g, summary: { ...g.summary, freshness: undefined } })), rss });
      expect(normal?.summary.streamsPlanned, detail).toBe(4);
      expect(stuck?.summary.streamsPlanned, detail).toBe(1);

      // Not a disconnect: the stuck viewer's connection stayed open, no error, no reconnection.
      expect(stuck?.summary.totalReconnections, detail).toBe(0);
      expect(stuck?.summary.errors, detail).toEqual({});
      expect(stuck?.summary.streamsOpenAtEnd, detail).toBe(1);
      // Not a queue: ustreamer writes a client a frame only once its last one left, so its memory stays flat while
      // the stuck viewer refuses about 700 KB a second (the kernel's buffers hold a few MB of it).
      expect(Math.max(...rss) - (rss[0] ?? 0), detail).toBeLessThan(5e6);
      // Not a stall: the normal viewers kept ustreamer's 1 fps while the stuck viewer held. Not judged against the
      // lead-in's: its 2 s baseline holds 2 or 3 frames at 1 fps, so its fps reads 1 or 1.5 by where the frames fall
      // (CI read 1.443 before, 1.0 after: −31%). The verdict's 5% and 50 ms are the bench's to judge.
      expect(normal?.isolation?.holds, detail).not.toBeNull();
      expect(normal?.isolation?.after?.fpsPerStream?.p5 ?? 0, detail).toBeGreaterThanOrEqual(0.8);
      expect(normal?.summary.fpsPerStream.p5, detail).toBeGreaterThanOrEqual(0.8);
      // The limit: a stuck viewer reads nothing more, so it cannot see a skip (and at 1 fps it has not learned its
      // stream's usual interval in the lead-in); only a connection's end would show the server felt it.
      expect(
        report.streams.every((s) => s.freshness.timestamp?.header === 'X-Timestamp'),
        detail,
      ).toBe(true);
      expect(stuck?.fill?.skipsKnown, detail).toBe(0);
      expect(stuck?.fill?.felt, detail).toBe(0);
    }, 60_000);
  },
);
