import type { Writable } from 'node:stream';

// The wait before `--start-at`: a line every 10 s in a log (kubectl logs, CI), one line redrawn each second on
// a terminal.

const PLAIN_EVERY_MS = 10_000;
const LIVE_EVERY_MS = 1_000;

/** Pure: "Starting at 14:30:00 (2026-12-03T13:30:00.000Z), in 1:05". */
export function countdownLine(startAtMs: number, remainingMs: number): string {
  const total = Math.ceil(Math.max(0, remainingMs) / 1000);
  const hours = Math.floor(total / 3600);
  const rest = `${String(Math.floor((total % 3600) / 60)).padStart(hours > 0 ? 2 : 1, '0')}:${String(total % 60).padStart(2, '0')}`;
  const at = new Date(startAtMs);
  const local = [at.getHours(), at.getMinutes(), at.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
  return `Starting at ${local} (${at.toISOString()}), in ${hours > 0 ? `${hours}:` : ''}${rest}; Ctrl+C to cancel`;
}

/** The countdown `loadTest` drives while it waits; `quiet` prints nothing. */
export function countdown(out: Writable, options: { tty: boolean; quiet: boolean }) {
  return (startAtMs: number): { tickMs: number; tick: (remainingMs: number) => void; done: () => void } => {
    let drawn = false;
    return {
      tickMs: options.tty ? LIVE_EVERY_MS : PLAIN_EVERY_MS,
      tick: (remainingMs) => {
        if (options.quiet) return;
        if (options.tty) out.write(`\r\x1b[2K${countdownLine(startAtMs, remainingMs)}`);
        else out.write(`${countdownLine(startAtMs, remainingMs)}\n`);
        drawn = true;
      },
      done: () => {
        if (drawn && options.tty) out.write('\n');
      },
    };
  };
}
