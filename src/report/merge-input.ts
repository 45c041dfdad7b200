import { MergeError } from './merge-errors.js';
import { INPUT_LIMITS } from '../input-limits.js';
import { RUN_SCHEMA_VERSION, type Report } from './report-types.js';
import { isCount, isObject, runReportBodyProblem } from './report-shape.js';

// A report file read back is checked once, here, for what a merge relies on; past this the merge trusts it.

// The newest schema this camera-load reads, per command: a run report's is 2 since fps counts from the first frame.
const SCHEMA_VERSION = { run: RUN_SCHEMA_VERSION, max: 1 } as const;

const SUMMARY_NUMBERS = [
  'camerasListed',
  'camerasActive',
  'camerasSkipped',
  'streamsRequested',
  'streamsPerCamera',
  'durationSeconds',
  'targetDurationSeconds',
] as const;

/**
 * What makes a file a report of `command` this version reads, whatever wrote it (an older camera-load, a merge,
 * another machine); undefined when it is one.
 */
export function reportProblem(value: unknown, command: 'run' | 'max'): string | undefined {
  if (!isObject(value) || !isObject(value.tool) || value.tool.name !== 'camera-load' || value.command !== command) return `not a camera-load ${command} report`;
  if (typeof value.schemaVersion !== 'number') return `not a camera-load ${command} report (no schemaVersion)`;
  if (value.schemaVersion > SCHEMA_VERSION[command]) {
    return `written by a newer camera-load (schema ${value.schemaVersion}; this one reads ${SCHEMA_VERSION[command]}): read it with that version`;
  }
  if (command === 'max')
    return Array.isArray(value.trials) && isObject(value.result) && isObject(value.config) ? undefined : 'its result, trials or config are missing';
  const summary = value.summary;
  if (!isObject(summary) || SUMMARY_NUMBERS.some((key) => !Number.isFinite(summary[key])) || typeof summary.valid !== 'boolean')
    return 'its summary is incomplete';
  if (summary.invalidReason !== undefined && typeof summary.invalidReason !== 'string') return 'its summary.invalidReason is not text';
  return runReportBodyProblem(value);
}

function problemOf(value: unknown): string | undefined {
  const problem = reportProblem(value, 'run');
  if (problem !== undefined || !isObject(value)) return problem;
  if (value.shards !== undefined) return 'already a merged report: merge the shard reports it was made from';
  if (typeof value.planFingerprint !== 'string') return 'has no planFingerprint (written before sharding, or by `max`)';
  const shard = value.shard;
  if (
    shard !== null &&
    !(isObject(shard) && isCount(shard.index) && isCount(shard.count) && (shard.index as number) >= 1 && (shard.index as number) <= (shard.count as number))
  ) {
    return 'its shard is not {index, count} with 1 <= index <= count';
  }
  if (shard !== null && (shard.count as number) > INPUT_LIMITS.shards)
    return `its shard count ${String(shard.count)} is over ${INPUT_LIMITS.shards.toLocaleString('en-US')}`;
  if (!Number.isFinite(Date.parse(String(value.startedAt))) || !Number.isFinite(Date.parse(String(value.endedAt))))
    return 'its startedAt or endedAt is not a time';
  return stageOrderProblem(value as unknown as Report) ?? stormOrderProblem(value as unknown as Report);
}

/**
 * What a merge relies on in a stage table beyond its shape: stage i is the i-th, each ends after it begins and
 * where the next begins, and every stream's stages are the table's (a merge reads a stage's fps from them by place).
 */
function stageOrderProblem(report: Report): string | undefined {
  const stages = report.stages;
  if (stages === undefined) return report.streams.some((s) => s.stages !== undefined) ? 'its streams have stages but it has no stage table' : undefined;
  for (const [i, stage] of stages.entries()) {
    if (stage.stage !== i + 1) return `its stage ${i + 1} is numbered ${stage.stage}: stages are numbered 1, 2, … in order`;
    const next = stages[i + 1];
    if (stage.toSeconds < stage.fromSeconds || (next !== undefined && next.fromSeconds !== stage.toSeconds))
      return `its stage ${i + 1} runs from ${stage.fromSeconds} s to ${stage.toSeconds} s: a stage ends after it begins, where the next one begins`;
  }
  const stream = report.streams.findIndex((s) => s.stages !== undefined && s.stages.length !== stages.length);
  return stream === -1 ? undefined : `its stream ${stream} has ${report.streams[stream]?.stages?.length} stages where the report has ${stages.length}`;
}

/**
 * What a merge relies on in the storms beyond their shape: storm i is the i-th, in time order, and none recovered
 * more viewers than it dropped (a merge reads its recovery times as ranks over the viewers).
 */
function stormOrderProblem(report: Report): string | undefined {
  for (const [i, storm] of (report.storms ?? []).entries()) {
    if (storm.storm !== i + 1) return `its storm ${i + 1} is numbered ${storm.storm}: storms are numbered 1, 2, … in time order`;
    const before = report.storms?.[i - 1];
    if (before !== undefined && storm.atSeconds <= before.atSeconds)
      return `its storm ${i + 1} is at ${storm.atSeconds} s, not after storm ${i} at ${before.atSeconds} s: storms are in time order`;
    if (storm.recovered > storm.viewers || storm.recoveryMs.count !== storm.recovered)
      return `its storm ${i + 1} has ${storm.recovered} recovered (${storm.recoveryMs.count} recovery times) of ${storm.viewers} viewers: each dropped viewer recovers once at most`;
  }
  return undefined;
}

/** The report in `value`, or ERR_MERGE_NOT_A_REPORT saying what is wrong with the file `name`. */
export function asShardReport(value: unknown, name: string): Report {
  const problem = problemOf(value);
  if (problem !== undefined) throw new MergeError('ERR_MERGE_NOT_A_REPORT', `${name}: ${problem}`);
  return value as Report;
}
