import { MergeError } from './merge-errors.js';
import type { Report } from './report-types.js';

// A report file read back is checked once, here, for what a merge relies on; past this the merge trusts it.

const SCHEMA_VERSION = 1;

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const isCount = (value: unknown): boolean => Number.isInteger(value) && (value as number) >= 0;

const STREAM_COUNTS = ['index', 'frames', 'bytes', 'corruptFrames', 'lengthMismatches', 'reconnections', 'stalls'] as const;
const SUMMARY_NUMBERS = ['camerasListed', 'camerasActive', 'camerasSkipped', 'streamsRequested', 'streamsPerCamera', 'durationSeconds', 'targetDurationSeconds'] as const;

function problemOf(value: unknown): string | undefined {
  if (!isObject(value) || !isObject(value.tool) || value.tool.name !== 'camera-load' || value.command !== 'run') return 'not a camera-load run report';
  if (typeof value.schemaVersion !== 'number') return 'not a camera-load run report (no schemaVersion)';
  if (value.schemaVersion > SCHEMA_VERSION) {
    return `written by a newer camera-load (schema ${value.schemaVersion}; this one reads ${SCHEMA_VERSION}): merge with that version`;
  }
  if (value.shards !== undefined) return 'already a merged report: merge the shard reports it was made from';
  if (typeof value.planFingerprint !== 'string') return 'has no planFingerprint (written before sharding, or by `max`)';
  const shard = value.shard;
  if (shard !== null && !(isObject(shard) && isCount(shard.index) && isCount(shard.count) && (shard.index as number) >= 1 && (shard.index as number) <= (shard.count as number))) {
    return 'its shard is not {index, count} with 1 <= index <= count';
  }
  const summary = value.summary;
  if (!isObject(summary) || SUMMARY_NUMBERS.some((key) => typeof summary[key] !== 'number') || typeof summary.valid !== 'boolean') return 'its summary is incomplete';
  if (!Array.isArray(value.streams) || !Array.isArray(value.timeline) || !isObject(value.system) || !isObject(value.config)) return 'streams, timeline, system or config missing';
  for (const stream of value.streams as unknown[]) {
    if (!isObject(stream) || STREAM_COUNTS.some((key) => !isCount(stream[key])) || typeof stream.frameGapHistogram !== 'string' || typeof stream.openAtEnd !== 'boolean') {
      return 'a stream in it lacks the per-stream figures a merge needs';
    }
  }
  return undefined;
}

/** The report in `value`, or ERR_MERGE_NOT_A_REPORT saying what is wrong with the file `name`. */
export function asShardReport(value: unknown, name: string): Report {
  const problem = problemOf(value);
  if (problem !== undefined) throw new MergeError('ERR_MERGE_NOT_A_REPORT', `${name}: ${problem}`);
  return value as Report;
}
