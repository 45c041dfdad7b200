import { UsageError } from '../errors.js';
import { peakTarget, stagesDurationMs, type Stage } from '../stages.js';
import { MAX_DURATION_MS, parseDuration } from './units.js';

// `--stages 30s:100,2m:100,30s:500,1m:0` (issue 30): k6's stages, text in, checked stages out.

export const STAGES_EXAMPLE = 'e.g. 30s:100,2m:100,30s:0';
/** The most stream slots a run's stages may ask for: --max-streams's own ceiling. */
export const MAX_STAGE_TARGET = 100_000;
/** The most stages one run takes: each has a row in every output. */
export const MAX_STAGES = 100;

const badStages = (message: string): UsageError => new UsageError(message, { code: 'ERR_BAD_STAGES' });

/** "stage 2 ('2m:x', from character 7)": where in the value a stage is, for a message. */
const where = (index: number, text: string, offset: number): string => `stage ${index + 1} ('${text.trim()}', from character ${offset + 1})`;

function parseStage(text: string, index: number, offset: number, whole: string): Stage {
  const colon = text.indexOf(':');
  const at = where(index, text, offset);
  if (colon < 0) throw badStages(`--stages: ${at} has no target: write each stage as DURATION:STREAMS, ${STAGES_EXAMPLE}; got '${whole}'`);
  const durationText = text.slice(0, colon).trim();
  const targetText = text.slice(colon + 1).trim();
  if (durationText === '') throw badStages(`--stages: ${at} has no duration before its ':', ${STAGES_EXAMPLE}; got '${whole}'`);
  let durationMs: number;
  try {
    durationMs = parseDuration(durationText, '--stages');
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    throw badStages(`--stages: ${at} has a duration that is not one (such as 30s, 2m or 1h), ${STAGES_EXAMPLE}; got '${whole}'`);
  }
  if (!/^\d+$/.test(targetText) || Number(targetText) > MAX_STAGE_TARGET) {
    throw badStages(`--stages: ${at} needs a target of 0 to ${MAX_STAGE_TARGET} concurrent streams, a whole number, ${STAGES_EXAMPLE}; got '${whole}'`);
  }
  return { durationMs, target: Number(targetText) };
}

/** The stages of `--stages`: at least one, ending within Node's longest timer, with some stream open at some time. */
export function parseStages(whole: string): Stage[] {
  const stages: Stage[] = [];
  let offset = 0;
  for (const part of whole.split(',')) {
    if (stages.length === MAX_STAGES) throw badStages(`--stages takes at most ${MAX_STAGES} stages; got more in '${whole}'`);
    stages.push(parseStage(part, stages.length, offset, whole));
    offset += part.length + 1;
  }
  const totalMs = stagesDurationMs(stages);
  if (totalMs < 1000) throw badStages(`--stages: the stages last ${totalMs} ms together; a run lasts 1 s at least, ${STAGES_EXAMPLE}; got '${whole}'`);
  if (totalMs > MAX_DURATION_MS - 60_000) throw badStages(`--stages: the stages last more than 24 days together; got '${whole}'`);
  if (peakTarget(stages) === 0) throw badStages(`--stages: every target is 0, so no stream would ever open, ${STAGES_EXAMPLE}; got '${whole}'`);
  return stages;
}

/** What --stages does not combine with, and how it meets --max-streams (given: at least the highest target). */
export function checkStagesAgainst(stages: readonly Stage[], given: { duration: boolean; rampUp: boolean; maxStreams: number | undefined }): void {
  if (given.duration) throw badStages("--stages sets the run's length (the stages' sum): leave out --duration");
  if (given.rampUp) throw badStages('--stages ramps the streams itself: leave out --ramp-up, or write the ramp as a stage, e.g. 30s:100');
  const peak = peakTarget(stages);
  if (given.maxStreams !== undefined && given.maxStreams < peak) {
    throw badStages(
      `--stages reaches ${peak} concurrent streams (stage ${stages.findIndex((s) => s.target === peak) + 1}) but --max-streams is ${given.maxStreams}: ` +
        `raise --max-streams to ${peak} or lower the stages' targets`,
    );
  }
}
