import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../package-root.js';

const BIN = join(PACKAGE_ROOT, 'bin', 'camera-load.js');

export interface FleetProcess {
  apiUrl: string;
  statsUrl: string;
  port: number;
  child: ChildProcess;
  /** CPU seconds (user + system) the simulator process has used so far, from /proc. */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

/**
 * Starts `camera-load simulate` in its own process, so that the fleet never shares the event loop (or the
 * CPU accounting) of the client measuring it.
 */
export async function startFleetProcess(args: string[]): Promise<FleetProcess> {
  const child = fork(BIN, ['simulate', '--quiet', ...args], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const ready = await new Promise<{ apiUrl: string; statsUrl: string; port: number }>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error('simulator did not start within 10 s'));
    }, 10_000);
    child.once('message', (message) => {
      clearTimeout(timer);
      resolve(message as { apiUrl: string; statsUrl: string; port: number });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`simulator exited with code ${code}`));
    });
  });
  const pid = child.pid ?? 0;
  return {
    ...ready,
    child,
    cpuSeconds: () => {
      // Fields 14 and 15 of /proc/PID/stat (after the parenthesised name): utime and stime in clock ticks.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return (Number(fields[11]) + Number(fields[12])) / 100;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) {
          resolve();
          return;
        }
        child.once('exit', () => {
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}
