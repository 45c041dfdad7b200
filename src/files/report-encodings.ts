import { inflateSync } from 'node:zlib';
import { INPUT_LIMITS } from '../input-limits.js';
import type { Report } from '../report/report-types.js';

// The encoded histograms of a report read back are compressed data from outside: one that would inflate past
// INPUT_LIMITS.inflatedHistogramBytes (a deflate bomb: 1.4 MB of it became 1 GiB) is refused before anything
// decodes it. camera-load writes zlib streams of stored blocks, whose size is their length: those are read as they
// stand; any other (older reports deflated theirs) is inflated here once, with a bound.

const V2_COMPRESSED_COOKIE_BASE = 0x1c849304;

/** The inflated size of a zlib stream made only of stored blocks, or undefined when it holds another kind. */
function storedSize(zlib: Uint8Array): number | undefined {
  let at = 2;
  let size = 0;
  while (at + 5 <= zlib.length) {
    const header = zlib[at] ?? 0;
    if (((header >> 1) & 3) !== 0) return undefined;
    const length = (zlib[at + 1] ?? 0) | ((zlib[at + 2] ?? 0) << 8);
    const complement = (zlib[at + 3] ?? 0) | ((zlib[at + 4] ?? 0) << 8);
    if ((length ^ 0xffff) !== complement) return undefined;
    size += length;
    at += 5 + length;
    if ((header & 1) === 1) return at + 4 <= zlib.length ? size : undefined;
  }
  return undefined;
}

/** What is wrong with one encoded HdrHistogram ('' is none), or undefined. */
export function encodingProblem(encoded: string): string | undefined {
  if (encoded === '') return undefined;
  const bytes = Buffer.from(encoded, 'base64');
  if (bytes.length < 8 || (bytes.readInt32BE(0) & ~0xf0) !== V2_COMPRESSED_COOKIE_BASE) return 'is not a compressed HdrHistogram';
  const zlib = bytes.subarray(8, 8 + Math.max(0, bytes.readInt32BE(4)));
  if (storedSize(zlib) !== undefined) return undefined;
  try {
    inflateSync(zlib, { maxOutputLength: INPUT_LIMITS.inflatedHistogramBytes });
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ERR_BUFFER_TOO_LARGE' ? `inflates past ${INPUT_LIMITS.inflatedHistogramBytes.toLocaleString('en-US')} bytes` : 'is not valid zlib data';
  }
}

/** The first encoded histogram of the report that cannot be read safely, named; undefined when all can. */
export function reportEncodingsProblem(report: Report): string | undefined {
  for (const [i, stream] of report.streams.entries()) {
    const gaps = encodingProblem(stream.frameGapHistogram);
    if (gaps) return `stream ${i}'s frameGapHistogram ${gaps}`;
    const delays = (stream as Partial<typeof stream>).freshness?.delayHistogram;
    const problem = delays === undefined ? undefined : encodingProblem(delays);
    if (problem) return `stream ${i}'s freshness.delayHistogram ${problem}`;
  }
  // A merge adds the stage table's histograms too.
  for (const stage of report.stages ?? []) {
    for (const key of ['timeToFirstFrameHistogram', 'frameGapHistogram', 'delayHistogram', 'clientLatenessHistogram'] as const) {
      const encoded = stage[key];
      const problem = encoded === undefined ? undefined : encodingProblem(encoded);
      if (problem) return `stage ${stage.stage}'s ${key} ${problem}`;
    }
  }
  // And the normal viewers' isolation windows, one encoding per shard added.
  for (const group of report.viewerGroups ?? []) {
    for (const [name, window] of [
      ['leadIn', group.isolation?.leadIn],
      ['after', group.isolation?.after],
    ] as const) {
      for (const key of ['frameGapHistogram', 'delayHistogram'] as const) {
        const problem = window ? encodingProblem(window[key]) : undefined;
        if (problem) return `viewer group ${group.group}'s isolation.${name}.${key} ${problem}`;
      }
    }
  }
  for (const storm of report.storms ?? []) {
    const problem = encodingProblem(storm.recoveryHistogram);
    if (problem) return `storm ${storm.storm}'s recoveryHistogram ${problem}`;
  }
  return undefined;
}
