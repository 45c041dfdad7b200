import { basename, resolve as resolvePath } from 'node:path';
import type { CommandContext } from '../command-context.js';
import type { CompareResult } from '../compare/compare-types.js';
import { renderCompareJunit, renderCompareSummary } from '../render/compare-outputs.js';
import { checkOutputs, probeOutput } from './check-outputs.js';
import { assertNoConflict, errorCode, STDOUT_PATH, type OutputTarget } from './output-paths.js';
import { saveOutput } from './run-files.js';
import { appendWithoutBlocking, WRITE_TIMEOUT_MS, withTimeout } from './write-file.js';

// Where `camera-load compare` writes: the JSON result and JUnit when asked, the job summary when
// GITHUB_STEP_SUMMARY names a writable file. Checked before the reports are read (exit 2), as every command does.

export interface CompareTargets {
  output?: string;
  junit?: string;
  stepSummary?: string;
}

export async function compareTargets(options: { output?: string; junit?: string }, context: CommandContext): Promise<CompareTargets> {
  const targets: CompareTargets = {};
  const checked: OutputTarget[] = [];
  if (options.output !== undefined) {
    targets.output = options.output === STDOUT_PATH ? STDOUT_PATH : resolvePath(options.output);
    if (targets.output !== STDOUT_PATH) checked.push({ flag: '--output', path: targets.output, append: false });
  }
  if (options.junit !== undefined) {
    targets.junit = resolvePath(options.junit);
    checked.push({ flag: '--junit', path: targets.junit, append: false });
  }
  assertNoConflict(checked);
  await checkOutputs(checked);
  const stepSummary = context.env.GITHUB_STEP_SUMMARY;
  if (stepSummary) {
    const failure = await probeOutput({ flag: 'GITHUB_STEP_SUMMARY', path: resolvePath(stepSummary), append: true });
    if (failure) context.stderr.write(`camera-load: warning: ${failure.message}; the job summary will be skipped\n`);
    else targets.stepSummary = resolvePath(stepSummary);
  }
  return targets;
}

/** Writes each output asked for; true when one is not where asked (exit 5). */
export async function writeCompareOutputs(
  result: CompareResult,
  targets: CompareTargets,
  context: CommandContext,
): Promise<{ moved: boolean; lines: [string, string][] }> {
  const lines: [string, string][] = [];
  let moved = false;
  const save = async (label: string, content: string, flag: string, path: string): Promise<void> => {
    const saved = await saveOutput(content, { flag, path, name: basename(path) }, context);
    moved ||= saved.moved;
    if (path !== STDOUT_PATH) lines.push([label, saved.where ?? 'not saved (see stderr)']);
  };
  if (targets.output !== undefined) await save('Result', `${JSON.stringify(result, null, 2)}\n`, '--output', targets.output);
  if (targets.junit !== undefined) await save('JUnit', renderCompareJunit(result), '--junit', targets.junit);
  if (targets.stepSummary !== undefined) {
    try {
      await withTimeout(appendWithoutBlocking(targets.stepSummary, renderCompareSummary(result)), WRITE_TIMEOUT_MS);
    } catch (error) {
      context.stderr.write(`camera-load: warning: GITHUB_STEP_SUMMARY ${targets.stepSummary}: could not be written (${errorCode(error)})\n`);
    }
  }
  return { moved, lines };
}
