import { createInterface } from 'node:readline/promises';
import type { Readable, Writable } from 'node:stream';
import type { CommandContext } from '../command-context.js';
import { UsageError } from '../errors.js';
import { DEFAULTS } from '../options/defaults.js';

const MAX_TRIES = 3;

/** Asks how many concurrent streams to open; an empty answer takes the default. */
export async function askStreamCount(input: Readable, output: Writable, activeCameras: number, defaultCount: number, signal?: AbortSignal): Promise<number> {
  const rl = createInterface({ input, output, terminal: true });
  try {
    output.write(`${activeCameras} active camera${activeCameras === 1 ? '' : 's'} found.\n`);
    for (let attempt = 1; attempt <= MAX_TRIES; attempt++) {
      const answer = (await rl.question(`How many concurrent streams should be opened? [${defaultCount}] `, signal ? { signal } : {})).trim();
      if (answer === '') return defaultCount;
      const value = /^\d+$/.test(answer) ? Number(answer) : NaN;
      if (Number.isSafeInteger(value) && value >= 1 && value <= 100_000) return value;
      output.write(`Please enter a whole number from 1 to 100000 (or press Enter for ${defaultCount}).\n`);
    }
    throw new UsageError(`no valid stream count after ${MAX_TRIES} answers`);
  } finally {
    rl.close();
  }
}

/**
 * How many streams `run` opens: --max-streams, else asked for on a terminal (not with --quiet), else the default:
 * 50, or one per camera when there are fewer (two --url values are two streams, not 50 asked for and 48 missing).
 */
export function streamCount(given: number | undefined, quiet: boolean, context: Pick<CommandContext, 'interactive' | 'stdin' | 'stdout' | 'signal'>) {
  return async (cameras: { cameras: readonly unknown[] }): Promise<number> => {
    if (given !== undefined) return given;
    const fallback = Math.max(1, Math.min(DEFAULTS.maxStreams, cameras.cameras.length));
    return context.interactive && !quiet ? askStreamCount(context.stdin, context.stdout, cameras.cameras.length, fallback, context.signal) : fallback;
  };
}
