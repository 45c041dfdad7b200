/**
 * The bounds on what camera-load reads from outside (report files handed to `merge` and `report`), each with the
 * reason for its value. A file past one is refused by name (exit 2), never read into time or memory without end.
 * On the ground floor so that the report checks (pure) and the file readers (I/O) share one table.
 */
export const INPUT_LIMITS = {
  /** Bytes of one report file: V8's longest string is about 512 MiB; a 10,000-stream report is about 12 MB. */
  reportFileBytes: 512 * 1024 * 1024,
  /** Streams in one report: 10× the largest fleet a process here has run (10,000 streams), for merged reports of many machines. */
  reportStreams: 1_000_000,
  /** Timeline rows in one report, and in a merge: a day at the default 1 s interval (a run's timeline coarsens long runs well below). */
  timelineRows: 100_000,
  /** System samples in one report: 55 hours at the sampler's 2 s. */
  systemSamples: 100_000,
  /** Shards of one test: 10× the largest Indexed Job the deploy assets are written for; a count past it is not a plan. */
  shards: 10_000,
  /** Events per stream: the runner keeps 40 (the first 20 and the latest 20). */
  streamEvents: 100,
  /** Characters of a text field (camera id, name, URL, error message): a URL is at most a few KB. */
  textChars: 8_192,
  /** Characters of one encoded histogram (base64): a full one of camera-load's (13,000 buckets) takes about 160 KB. */
  encodedHistogramChars: 256 * 1024,
  /** Bytes an encoded histogram may inflate to: a V2 payload of 13,000 buckets is at most 117 KB. */
  inflatedHistogramBytes: 1024 * 1024,
  /** Stages of a run's stage table, and per stream: what --stages takes (k6's stages are a handful; each is a row of every output). */
  stages: 100,
  /** Storms of a report's `storms[]`: what --storm-at takes (each is a row of every output). */
  storms: 100,
  /** Error codes per stream or timeline row: camera-load has about 40. */
  errorCodes: 200,
  /** Bytes of one camera API answer: a page of 130,000 cameras is about 18 MB. */
  apiPageBytes: 32 * 1024 * 1024,
  /** Pages of one camera listing: `next` links are followed this far (a loop is refused on its own). */
  apiPages: 200,
  /** Bytes of the whole listing, all pages: about 1.8 million cameras at 140 bytes each. */
  apiListingBytes: 256 * 1024 * 1024,
  /** Cameras of one listing: 100× the largest fleet one process here has run; a run holds each one in memory. */
  apiCameras: 1_000_000,
  /** Shards of one merge that ran apart: the latest may start this long after the earliest had ended (a Job's pods can queue). */
  shardsApartMs: 3_600_000,
} as const;
