import { UsageError } from '../errors.js';
import type { Storm } from '../stages.js';
import { parseDuration } from './units.js';

// `--storm-at 2m,4m:immediate` (issue 30): instants on the run clock when every open stream is dropped by the client.

export const STORMS_EXAMPLE = 'e.g. 2m or 2m,4m:immediate';
/** The most storms one run takes: each has a row in every output. */
export const MAX_STORMS = 100;

const badStorm = (message: string): UsageError => new UsageError(message, { code: 'ERR_BAD_STORM' });

/** "2m", "90s:immediate": one storm, at `offset` in the whole value (for the message). */
function parseStorm(text: string, index: number, offset: number, whole: string, runMs: number): Storm {
  const where = `storm ${index + 1} ('${text.trim()}', from character ${offset + 1})`;
  const colon = text.indexOf(':');
  const timeText = (colon < 0 ? text : text.slice(0, colon)).trim();
  const mode = colon < 0 ? '' : text.slice(colon + 1).trim();
  if (mode !== '' && mode !== 'immediate')
    throw badStorm(`--storm-at: ${where} ends in ':${mode}'; the only mode is ':immediate', ${STORMS_EXAMPLE}; got '${whole}'`);
  let atMs: number;
  try {
    atMs = parseDuration(timeText, '--storm-at');
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    throw badStorm(`--storm-at: ${where} is not a time from the run's start (such as 90s, 2m or 1h), ${STORMS_EXAMPLE}; got '${whole}'`);
  }
  if (atMs <= 0 || atMs >= runMs) {
    throw badStorm(`--storm-at: ${where} is outside the run: a storm comes after its start and before its end at ${runMs / 1000} s; got '${whole}'`);
  }
  return { atMs, immediate: mode === 'immediate' };
}

/** The storms of `--storm-at`, in time order, each within the run (`runMs`: its length) and at a distinct instant. */
export function parseStorms(whole: string, runMs: number): Storm[] {
  const storms: Storm[] = [];
  let offset = 0;
  for (const part of whole.split(',')) {
    if (storms.length === MAX_STORMS) throw badStorm(`--storm-at takes at most ${MAX_STORMS} storms; got more in '${whole}'`);
    storms.push(parseStorm(part, storms.length, offset, whole, runMs));
    offset += part.length + 1;
  }
  storms.sort((a, b) => a.atMs - b.atMs);
  const twice = storms.find((s, i) => i > 0 && s.atMs === storms[i - 1]?.atMs);
  if (twice) throw badStorm(`--storm-at names ${twice.atMs / 1000} s twice: one storm drops every open stream once; got '${whole}'`);
  return storms;
}
