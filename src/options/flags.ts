import { Option, type Command } from 'commander';
import { UsageError } from '../errors.js';
import { FLAGS, type FlaggedCommand, type FlagName, type FlagSpec } from './flag-table.js';

export { FLAGS, GROUP, type FlaggedCommand, type FlagName, type FlagSpec } from './flag-table.js';

/** Where the cameras come from: what run, max and cameras share. */
const CAMERA_FLAGS = [
  'apiUrl',
  'camerasFile',
  'url',
  'simulate',
  'header',
  'cameraAuth',
  'insecure',
  'ca',
  'proxy',
  'apiTimeout',
] as const satisfies readonly FlagName[];

/** How each stream is held: what run and max share. */
const STREAM_FLAGS = [
  'streamsPerCamera',
  'connectConcurrency',
  'stallTimeout',
  'freezeTimeout',
  'timestampHeader',
  'backoffMax',
] as const satisfies readonly FlagName[];

/** The viewer groups (issue 29) and the seed that picks them: run only. */
const VIEWER_FLAGS = ['slowViewers', 'pausingViewers', 'stuckViewers', 'leadIn', 'seed'] as const satisfies readonly FlagName[];

/** The live Prometheus endpoint: run and max only. */
const METRICS_FLAGS = ['metricsPort', 'metricsHost', 'metricsPerCamera'] as const satisfies readonly FlagName[];

// Each list follows the help's groups (GROUP): commander lists the groups in the order their first flag comes.
export const RUN_FLAGS = [
  'maxStreams',
  'duration',
  'rampUp',
  'stages',
  'arrivalRate',
  'watchTime',
  'cameraPopularity',
  'stormAt',
  ...CAMERA_FLAGS,
  ...STREAM_FLAGS,
  ...VIEWER_FLAGS,
  'threshold',
  'baseline',
  'saturationCpu',
  'output',
  'html',
  'junit',
  'log',
  'interval',
  'quiet',
  'shard',
  'shards',
  'startAt',
  ...METRICS_FLAGS,
] as const satisfies readonly FlagName[];

export const MAX_FLAGS = [
  'start',
  'maxStreams',
  'min',
  'trial',
  'cooldown',
  'precision',
  'maxReconnects',
  'minFps',
  'saturationCpu',
  ...CAMERA_FLAGS,
  ...STREAM_FLAGS,
  'baseline',
  'output',
  'html',
  'log',
  'interval',
  'quiet',
  ...METRICS_FLAGS,
] as const satisfies readonly FlagName[];

/** `camera-load merge <report.json>…`: the outputs of a run, and what to do about missing shards. */
export const MERGE_FLAGS = ['threshold', 'allowPartial', 'output', 'html', 'junit', 'quiet'] as const satisfies readonly FlagName[];

/** `camera-load report <report.json>`: any report read back, summarised or drawn as HTML. */
export const REPORT_FLAGS = ['html', 'quiet'] as const satisfies readonly FlagName[];

/** `camera-load cameras`: list the cameras once, for a dry run or for every shard to read. */
export const CAMERAS_FLAGS = [...CAMERA_FLAGS, 'output', 'quiet'] as const satisfies readonly FlagName[];

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** Commander keeps the last of two values; for a flag taken once, the second is refused rather than kept silently. */
const once =
  (flag: string) =>
  (value: string, previous: string | undefined): string => {
    if (previous !== undefined) throw new UsageError(`${flag} is taken once; got '${previous}' and '${value}': give one`, { code: 'ERR_FLAG_REPEATED' });
    return value;
  };

/** Adds flags to a command, in the order given, each under its help group. */
export function addFlags(command: Command, specs: readonly FlagSpec[]): Command {
  for (const spec of specs) {
    const option = new Option(spec.flags, spec.description);
    if (spec.repeatable) option.argParser(collect);
    else if (spec.once === true) option.argParser(once(option.long ?? spec.flags));
    // The shown default goes with the value; a default that is no plain value is only shown (the value stays unset).
    if (spec.default !== undefined || spec.defaultText !== undefined) option.default(spec.default, spec.defaultText);
    if (spec.group !== undefined) option.helpGroup(spec.group);
    command.addOption(option);
  }
  return command;
}

/** The flags as one command takes them: its own text and default where they differ. */
export function flagSpecs(names: readonly FlagName[], command: FlaggedCommand): FlagSpec[] {
  return names.map((name) => {
    const spec: FlagSpec = FLAGS[name];
    const { for: perCommand, ...common } = spec;
    return { ...common, ...perCommand?.[command] };
  });
}
