import { basename } from 'node:path';
import type { CommandContext } from '../command-context.js';
import type { Report } from '../report/report-types.js';
import { errorCode } from './output-paths.js';
import { renderJunit } from './render-junit.js';
import { renderMarkdown } from './render-markdown.js';
import { saveOutput, type RunOutputTargets } from './run-files.js';
import { appendWithoutBlocking, WRITE_TIMEOUT_MS, withTimeout } from './write-file.js';

/** What a run wrote: the label (JUnit:, …) and where each file went; `moved` when one is not where asked. */
export interface WrittenOutputs {
  lines: [string, string][];
  moved: boolean;
  reportAt: string | undefined;
}

interface RunOutput {
  label: string;
  /** undefined: this output was not asked for. */
  path: (targets: RunOutputTargets) => string | undefined;
  write: (report: Report, path: string, targets: RunOutputTargets, context: CommandContext) => Promise<{ where: string | undefined; moved: boolean }>;
}

// The outputs of a run in one registry (knip's reporters): the command loops over them, with no `if` per output.
const RUN_OUTPUTS: readonly RunOutput[] = [
  {
    label: 'Report',
    path: (targets) => targets.paths.report,
    write: (report, path, targets, context) =>
      // The report is never lost: when no folder takes it, it follows on stdout.
      saveOutput(`${JSON.stringify(report, null, 2)}\n`, { flag: '--output', path, name: targets.paths.reportName }, context, {
        label: 'stdout',
        write: (text) => context.stdout.write(text),
      }),
  },
  {
    label: 'JUnit',
    path: (targets) => targets.junit,
    write: (report, path, _targets, context) => saveOutput(renderJunit(report, report.thresholds), { flag: '--junit', path, name: basename(path) }, context),
  },
  {
    label: 'Job summary',
    path: (targets) => targets.stepSummary,
    // A job summary that cannot be written must not cost the run its verdict: a warning, not an exit code.
    write: async (report, path, _targets, context) => {
      try {
        await withTimeout(appendWithoutBlocking(path, renderMarkdown(report, report.thresholds)), WRITE_TIMEOUT_MS);
        return { where: path, moved: false };
      } catch (error) {
        context.stderr.write(`camera-load: warning: GITHUB_STEP_SUMMARY ${path}: could not be written (${errorCode(error)})\n`);
        return { where: undefined, moved: false };
      }
    },
  },
];

/** Writes every output the run asked for, in order, each where asked or where it says. */
export async function writeRunOutputs(report: Report, targets: RunOutputTargets, context: CommandContext): Promise<WrittenOutputs> {
  const written: WrittenOutputs = { lines: [], moved: false, reportAt: undefined };
  for (const output of RUN_OUTPUTS) {
    const path = output.path(targets);
    if (path === undefined) continue;
    const saved = await output.write(report, path, targets, context);
    written.moved ||= saved.moved;
    if (output.label === 'Report') written.reportAt = saved.where;
    if (output.label !== 'Job summary') written.lines.push([output.label, saved.where ?? 'not saved (see stderr)']);
  }
  return written;
}
