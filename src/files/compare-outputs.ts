import { basename, resolve as resolvePath } from 'node:path';
import type { CommandContext } from '../command-context.js';
import type { CompareResult } from '../compare/compare-types.js';
import type { Report } from '../report/report-types.js';
import { renderCompareJunit, renderCompareSummary } from '../render/compare-outputs.js';
import { checkOutputs, probeOutput } from './check-outputs.js';
import { OutputError } from '../errors.js';
import { assertNoConflict, errorCode, STDOUT_PATH, type OutputTarget } from './output-paths.js';
import { saveOutput } from './run-files.js';
import { saveCompareHtml } from './save-html.js';
import { jsonFile } from './json-text.js';
import { appendWithoutBlocking, WRITE_TIMEOUT_MS, withTimeout, type FileContent } from './write-file.js';

// Where `camera-load compare` writes: the JSON result, JUnit and the HTML page when asked, the job summary when
// GITHUB_STEP_SUMMARY names a writable file. Checked before the reports are read (exit 2), as every command does.

export interface CompareTargets {
  output?: string;
  junit?: string;
  html?: string;
  stepSummary?: string;
}

export async function compareTargets(
  options: { base: string; next: string; output?: string; junit?: string; html?: string },
  context: CommandContext,
): Promise<CompareTargets> {
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
  if (options.html !== undefined) {
    targets.html = resolvePath(options.html);
    checked.push({ flag: '--html', path: targets.html, append: false });
  }
  assertNoConflict(checked);
  // An output naming one of the reports compared would overwrite it with something else (a report against itself is fine).
  for (const [label, input] of [
    ['BASE', options.base],
    ['NEW', options.next],
  ] as const) {
    const clash = checked.find((target) => target.path === resolvePath(input));
    if (clash) throw new OutputError('ERR_OUTPUT_CONFLICT', `${clash.flag} names the ${label} report ${clash.path}; give it a file of its own`);
  }
  await checkOutputs(checked);
  const stepSummary = context.env.GITHUB_STEP_SUMMARY;
  if (stepSummary) {
    const failure = await probeOutput({ flag: 'GITHUB_STEP_SUMMARY', path: resolvePath(stepSummary), append: true });
    if (failure) context.stderr.write(`camera-load: warning: ${failure.message}; the job summary will be skipped\n`);
    else targets.stepSummary = resolvePath(stepSummary);
  }
  return targets;
}

/** Writes each output asked for; true when one is not where asked (exit 5). The page also draws from the two runs' reports. */
export async function writeCompareOutputs(
  result: CompareResult,
  reports: { base: Report; next: Report } | undefined,
  targets: CompareTargets,
  context: CommandContext,
): Promise<{ moved: boolean; lines: [string, string][] }> {
  const lines: [string, string][] = [];
  let moved = false;
  const listed = (label: string, path: string, saved: { where: string | undefined; moved: boolean }): void => {
    moved ||= saved.moved;
    if (path !== STDOUT_PATH) lines.push([label, saved.where ?? 'not saved (see stderr)']);
  };
  const save = async (label: string, content: FileContent, flag: string, path: string): Promise<void> => {
    listed(label, path, await saveOutput(content, { flag, path, name: basename(path) }, context));
  };
  if (targets.output !== undefined) await save('Result', jsonFile(result, 2), '--output', targets.output);
  if (targets.junit !== undefined) await save('JUnit', renderCompareJunit(result), '--junit', targets.junit);
  if (targets.html !== undefined && reports !== undefined) listed('HTML', targets.html, await saveCompareHtml(result, reports, targets.html, context));
  if (targets.stepSummary !== undefined) {
    try {
      await withTimeout(appendWithoutBlocking(targets.stepSummary, renderCompareSummary(result)), WRITE_TIMEOUT_MS);
    } catch (error) {
      context.stderr.write(`camera-load: warning: GITHUB_STEP_SUMMARY ${targets.stepSummary}: could not be written (${errorCode(error)})\n`);
    }
  }
  return { moved, lines };
}
