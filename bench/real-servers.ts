import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

// The real MJPEG servers of Debian the slow-servers bench drives on 127.0.0.1 (issue 29), each started the way it
// serves a camera, with a picture heavy enough that a slow reader's deficit fills the kernel's buffers (about 4 MB on
// loopback, docs/benchmarks.md) within seconds rather than minutes.

export interface StartedServer {
  url: string;
  /** The process whose RSS is the server's memory. */
  pid: number;
  /** What the server said of itself at the end (ffmpeg's speed), '' when nothing. */
  facts: () => string;
  log: () => string;
  stop: () => Promise<void>;
}

export interface RealServer {
  name: string;
  /** Why it cannot run here (a missing package, with its name), or undefined. */
  missing: () => string | undefined;
  /** The viewers it can serve: ffmpeg's CLI serves one client, the others any number. */
  streams: number;
  start: (dir: string, port: number) => Promise<StartedServer>;
}

export const has = (command: string): boolean => spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;

/** Waits (bounded) until something listens on `port`, from /proc/net/tcp: a probe would take ffmpeg's one client. */
export async function listening(port: number, child: ChildProcess, log: () => string, timeoutMs = 15_000): Promise<void> {
  const hexPort = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  const until = performance.now() + timeoutMs;
  while (performance.now() < until) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}) before listening: ${log().slice(-2_000)}`);
    const tables = ['/proc/net/tcp', '/proc/net/tcp6'].filter((file) => existsSync(file)).map((file) => readFileSync(file, 'utf8'));
    // Each row: sl local_address rem_address st ...; st 0A is LISTEN.
    const rows = tables.flatMap((table) => table.split('\n').slice(1)).map((row) => row.trim().split(/\s+/));
    if (rows.some((row) => row[1]?.endsWith(hexPort) === true && row[3] === '0A')) return;
    await sleep(50);
  }
  throw new Error(`nothing listened on ${port} within ${timeoutMs} ms: ${log().slice(-2_000)}`);
}

/** Starts `command` with its stderr (and stdout) kept, bounded, for when it fails. */
export function startProcess(command: string, args: string[], env?: NodeJS.ProcessEnv): { child: ChildProcess; log: () => string; stop: () => Promise<void> } {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...(env ? { env } : {}) });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    // motion waits for its threads on SIGTERM: a bounded wait, then SIGKILL.
    if (!(await Promise.race([exited.then(() => true), sleep(3_000).then(() => false)]))) child.kill('SIGKILL');
    await exited;
  };
  return { child, log: () => output, stop };
}

/** A noisy 1280×720 JPEG of about 700 KB (ffmpeg): ustreamer's picture when it has no device, 1 a second. */
function heavyPicture(dir: string): string {
  const file = join(dir, 'heavy.jpg');
  if (existsSync(file)) return file;
  const made = spawnSync(
    'ffmpeg',
    [
      '-hide_banner',
      '-loglevel',
      'error',
      '-nostdin',
      '-y',
      '-f',
      'lavfi',
      '-i',
      'testsrc2=size=1280x720',
      '-vf',
      'noise=alls=60:allf=t',
      '-frames:v',
      '1',
      '-q:v',
      '3',
      file,
    ],
    {
      timeout: 30_000,
    },
  );
  if (made.status !== 0) throw new Error(`ffmpeg could not make the picture: ${made.stderr.toString()}`);
  return file;
}

async function ustreamer(dir: string, port: number): Promise<StartedServer & { child: ChildProcess }> {
  // No capture device: ustreamer serves its blank picture (here a heavy one) once a second, each part stamped
  // with X-Timestamp when it is written to the client. A device path that cannot exist keeps a real camera out.
  const { child, log, stop } = startProcess('ustreamer', [
    '--host',
    '127.0.0.1',
    '--port',
    String(port),
    '--device',
    '/dev/camera-load-no-such-device',
    '--blank',
    heavyPicture(dir),
    '--no-log-colors',
  ]);
  await listening(port, child, log);
  return { url: `http://127.0.0.1:${port}/stream`, pid: child.pid ?? 0, facts: () => '', log, stop, child };
}

const FFMPEG: RealServer = {
  name: 'ffmpeg -f mpjpeg -listen 1',
  missing: () => (has('ffmpeg') ? undefined : 'ffmpeg is not installed (apt-get install ffmpeg)'),
  // -listen 2 accepts more connections, but the ffmpeg CLI serves none of them (it is for programs that call
  // avio_accept): one viewer is all it takes.
  streams: 1,
  start: async (dir, port) => {
    const progress = join(dir, `ffmpeg-${port}.progress`);
    // prettier-ignore
    const { child, log, stop } = startProcess('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-nostdin', '-progress', progress, '-re',
      '-f', 'lavfi', '-i', 'testsrc2=size=640x480:rate=25', '-vf', 'noise=alls=20:allf=t', '-t', '3600', '-c:v', 'mjpeg', '-q:v', '3',
      '-f', 'mpjpeg', '-listen', '1', `http://127.0.0.1:${port}/`]);
    await listening(port, child, log);
    // With -re, ffmpeg's speed is its output against the clock: below 1× the writes to its one viewer held it back.
    const speed = (): string => {
      const all = existsSync(progress) ? [...readFileSync(progress, 'utf8').matchAll(/^speed=\s*(\S+)$/gm)] : [];
      return all.length > 0 ? `speed ${all.at(-1)?.[1] ?? '?'} at the end` : '';
    };
    return { url: `http://127.0.0.1:${port}/`, pid: child.pid ?? 0, facts: speed, log, stop };
  },
};

const USTREAMER: RealServer = {
  name: 'ustreamer',
  missing: () => (has('ustreamer') ? undefined : 'ustreamer is not installed (apt-get install ustreamer)'),
  streams: 10,
  start: ustreamer,
};

const VLC: RealServer = {
  name: 'VLC (cvlc, mux=mpjpeg)',
  missing: () => {
    if (!has('cvlc')) return 'VLC is not installed (apt-get install vlc-bin vlc-plugin-base)';
    // VLC refuses to run as root: it runs as nobody, by setpriv.
    if (process.getuid?.() === 0 && !has('setpriv')) return 'VLC refuses root and setpriv (util-linux) is missing';
    return has('ffmpeg') ? undefined : 'the test video is made by ffmpeg, which is not installed';
  },
  streams: 10,
  start: async (dir, port) => {
    const video = join(dir, 'vlc-source.avi');
    if (!existsSync(video)) {
      // prettier-ignore
      const made = spawnSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-nostdin', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=640x480:rate=25',
        '-vf', 'noise=alls=20:allf=t', '-t', '20', '-c:v', 'mjpeg', '-q:v', '3', video], { timeout: 60_000 });
      if (made.status !== 0) throw new Error(`ffmpeg could not make the video: ${made.stderr.toString()}`);
    }
    chmodSync(dir, 0o755);
    chmodSync(video, 0o644);
    const home = join(dir, 'vlc-home');
    mkdirSync(home, { recursive: true });
    // The source is MJPEG already: VLC only muxes it (its boundary is fixed), no transcoding. Without mime= it
    // would answer application/octet-stream.
    const sout = `#standard{access=http{mime=multipart/x-mixed-replace;boundary=7b3cc56e5f51db803f790dad720ed50a},mux=mpjpeg,dst=127.0.0.1:${port}/}`;
    const vlc = ['-I', 'dummy', '--no-audio', '--loop', video, '--sout', sout];
    const root = process.getuid?.() === 0;
    if (root) spawnSync('chown', ['65534:65534', home]);
    const { child, log, stop } = root
      ? startProcess('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'cvlc', ...vlc], { ...process.env, HOME: home })
      : startProcess('cvlc', vlc);
    await listening(port, child, log);
    return { url: `http://127.0.0.1:${port}/`, pid: child.pid ?? 0, facts: () => '', log, stop };
  },
};

const MOTION: RealServer = {
  name: 'motion (netcam from ustreamer)',
  missing: () => {
    if (!has('motion')) return 'motion is not installed (apt-get install motion)';
    return has('ustreamer') ? undefined : 'its source here is ustreamer, which is not installed';
  },
  streams: 10,
  start: async (dir, port) => {
    // motion needs a camera: ustreamer's heavy picture over HTTP (motion's netcam did not read ffmpeg's mpjpeg).
    // motion decodes it and serves its own JPEGs at its own rate, without timestamps.
    const source = await ustreamer(dir, port + 1);
    const config = join(dir, `motion-${port}.conf`);
    writeFileSync(
      config,
      [
        'daemon off',
        'setup_mode off',
        'log_level 5',
        `target_dir ${dir}`,
        `netcam_url ${source.url}`,
        'framerate 25',
        `stream_port ${port}`,
        'stream_localhost on',
        'stream_maxrate 25',
        'stream_quality 85',
        'stream_auth_method 0',
        'picture_output off',
        'movie_output off',
        'webcontrol_port 0',
        '',
      ].join('\n'),
    );
    const { child, log, stop } = startProcess('motion', ['-n', '-c', config]);
    await listening(port, child, log);
    // motion answers nothing until its camera gave a picture: wait (bounded) for the first one.
    for (let i = 0; i < 100 && !log().includes('connected'); i++) await sleep(100);
    await sleep(2_000);
    return {
      url: `http://127.0.0.1:${port}/`,
      pid: child.pid ?? 0,
      facts: () => '',
      log,
      stop: async () => {
        await stop();
        await source.stop();
      },
    };
  },
};

/** Every server the bench knows, in the order it runs them. */
export const REAL_SERVERS: readonly RealServer[] = [FFMPEG, USTREAMER, VLC, MOTION];

/** The RSS of process `pid` in bytes (/proc/PID/status VmRSS), or null when it is gone. */
export function rssBytes(pid: number): number | null {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}
