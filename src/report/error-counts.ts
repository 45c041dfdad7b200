import type { StreamReport } from './report-types.js';

// How connections ended, counted for a sentence: the analysis and the verdict name the same codes the same way.

/** The codes that ended the streams that never delivered a frame, summed over those streams. */
export function errorsOfUnopened(streams: readonly Pick<StreamReport, 'opened' | 'errors'>[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const stream of streams) {
    if (stream.opened) continue;
    for (const [code, n] of Object.entries(stream.errors)) counts[code] = (counts[code] ?? 0) + n;
  }
  return counts;
}

/** The codes that ended connections, most frequent first, then by name: one order for every output. */
export function codesMostFirst(errors: Record<string, number>): [string, number][] {
  return Object.entries(errors)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** The most frequent codes, most first: "ECONNREFUSED ×12, HTTP_503 ×2". */
export function topErrors(errors: Record<string, number>, limit = 3): string {
  return codesMostFirst(errors)
    .slice(0, limit)
    .map(([code, n]) => `${code} ×${n}`)
    .join(', ');
}
