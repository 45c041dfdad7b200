import { basename, resolve as resolvePath } from 'node:path';
import type { Writable } from 'node:stream';
import type { MaxReport } from '../max/max-report.js';
import type { CommandContext } from '../command-context.js';
import type { Report } from '../report/report-types.js';
import { errorCode, STDOUT_PATH } from './output-paths.js';
import type { CompareResult } from '../compare/compare-types.js';
import { renderSummary } from '../render/summary.js';
import { saveOutput, type OutputPaths, type RunOutputTargets } from './run-files.js';
import { saveHtml } from './save-html.js';
import { jsonFile } from './json-text.js';
import { appendWithoutBlocking, contentTexts, WRITE_TIMEOUT_MS, withTimeout, type FileContent } from './write-file.js';

const STDOUT_LABEL = 'stdout (the last line)';

/** What a run wrote: the label (JUnit:, …) and where each file went; `moved` when one is not where asked. */
export interface WrittenOutputs {
  lines: [string, string][];
  moved: boolean;
  reportAt: string | undefined;
  /**
   * `--output -`: the report as one line, for the command to print as the very last line of stdout (after the
   * summary and these lines), where `kubectl logs … | tail -n 1` finds it; made as it is printed.
   */
  stdoutReport?: FileContent;
}

interface RunOutput {
  label: string;
  /** Listed in the "Label: where" lines at the end of the run. */
  listed: boolean;
  /** undefined: this output was not asked for. */
  path: (targets: RunOutputTargets) => string | undefined;
  /** `compared`: run --baseline's comparison, which JUnit and the job summary add to the run's own. */
  write: (
    report: Report,
    path: string,
    targets: RunOutputTargets,
    context: CommandContext,
    compared: CompareResult | undefined,
  ) => Promise<{ where: string | undefined; moved: boolean }>;
}

/** The report itself, never lost: when no folder takes it, it follows on stdout; `--output -` puts it there. */
async function writeReport(report: Report, targets: RunOutputTargets, context: CommandContext): Promise<{ where: string | undefined; moved: boolean }> {
  const path = targets.paths.report;
  if (path === STDOUT_PATH) return { where: STDOUT_LABEL, moved: false };
  return saveOutput(jsonFile(report, 2), { flag: '--output', path, name: targets.paths.reportName }, context, {
    label: 'stdout',
    write: (text) => context.stdout.write(text),
  });
}

// The outputs beside the report in one registry (knip's reporters): the command loops over them, with no `if`
// per output.
const RUN_OUTPUTS: readonly RunOutput[] = [
  {
    label: 'HTML',
    listed: true,
    path: (targets) => targets.paths.html,
    write: (report, path, _targets, context) => saveHtml(report, path, context),
  },
  {
    label: 'JUnit',
    listed: true,
    path: (targets) => targets.junit,
    // Loaded when asked for, as the page and the summary are: a run that writes none does not load their renderers.
    write: async (report, path, _targets, context, compared) => {
      const { renderJunit } = await import('../render/junit.js');
      return saveOutput(renderJunit(report, report.thresholds, compared), { flag: '--junit', path, name: basename(path) }, context);
    },
  },
  {
    label: 'Job summary',
    listed: false,
    path: (targets) => targets.stepSummary,
    // A job summary that cannot be written must not cost the run its verdict: a warning, not an exit code.
    write: async (report, path, _targets, context, compared) => {
      const [{ renderJobSummary }, { renderCompareSummary }] = await Promise.all([import('../render/job-summary.js'), import('../render/compare-outputs.js')]);
      const text = renderJobSummary(report, report.thresholds) + (compared === undefined ? '' : `\n${renderCompareSummary(compared)}`);
      try {
        await withTimeout(appendWithoutBlocking(path, text), WRITE_TIMEOUT_MS);
        return { where: path, moved: false };
      } catch (error) {
        context.stderr.write(`camera-load: warning: GITHUB_STEP_SUMMARY ${path}: could not be written (${errorCode(error)})\n`);
        return { where: undefined, moved: false };
      }
    },
  },
];

const NOT_SAVED = 'not saved (see stderr)';

/** Writes the report, then every other output the run asked for, each where asked or where it says. */
export async function writeRunOutputs(report: Report, targets: RunOutputTargets, context: CommandContext, compared?: CompareResult): Promise<WrittenOutputs> {
  const saved = await writeReport(report, targets, context);
  const written: WrittenOutputs = { lines: [['Report', saved.where ?? NOT_SAVED]], moved: saved.moved, reportAt: saved.where };
  if (targets.paths.report === STDOUT_PATH) written.stdoutReport = jsonFile(report, 0);
  for (const output of RUN_OUTPUTS) {
    const path = output.path(targets);
    if (path === undefined) continue;
    const result = await output.write(report, path, targets, context, compared);
    written.moved ||= result.moved;
    if (output.listed) written.lines.push([output.label, result.where ?? NOT_SAVED]);
  }
  return written;
}

/**
 * The end of `run` and `merge`: the summary first (whatever happens to the files, the person watching sees the
 * result), then every output, then where each went (`more` adds the command's own, such as the log), and with
 * `--output -` the report as the very last line of stdout.
 */
export async function finishOutputs(
  report: Report,
  targets: RunOutputTargets,
  context: CommandContext,
  options: { quiet: boolean; more?: (written: WrittenOutputs) => Promise<[string, string][]>; compared?: { result: CompareResult; text: string } },
): Promise<WrittenOutputs> {
  const say = (text: string): void => {
    if (!options.quiet) context.stdout.write(`${text}\n`);
  };
  say('');
  if (!options.quiet) context.stdout.write(renderSummary(report));
  say('');
  if (!options.quiet && options.compared !== undefined) context.stdout.write(`${options.compared.text}\n`);
  const written = await writeRunOutputs(report, targets, context, options.compared?.result);
  for (const [label, where] of [...written.lines, ...((await options.more?.(written)) ?? [])]) say(`${`${label}:`.padEnd(7)} ${where}`);
  if (written.stdoutReport !== undefined && !(await wroteAll(context.stdout, written.stdoutReport))) {
    // The reader of stdout went away (`| head`): the report is saved as a file rather than lost, and named.
    const path = resolvePath(context.workingFolder() ?? '.', targets.paths.reportName);
    const saved = await saveOutput(jsonFile(report, 2), { flag: '--output', path, name: targets.paths.reportName }, context);
    context.stderr.write(
      `camera-load: --output -: stdout was closed before the report was written; ${saved.where === undefined ? 'it was not saved' : `saved to ${saved.where} instead`}\n`,
    );
    written.moved = true;
  }
  return written;
}

/** Writes `content`, each piece once the last is taken; false when the stream refused one (EPIPE: its reader closed it). */
async function wroteAll(stream: Writable, content: FileContent): Promise<boolean> {
  for (const text of contentTexts(content)) {
    const wrote = await new Promise<boolean>((resolve) => {
      stream.write(text, (error) => {
        resolve(error === null || error === undefined);
      });
    });
    if (!wrote) return false;
  }
  return true;
}

/** The end of `max`: its report (never lost: stdout when no folder takes it), then the HTML page when asked. */
export async function writeMaxOutputs(report: MaxReport, paths: OutputPaths, context: CommandContext): Promise<WrittenOutputs> {
  const saved = await saveOutput(jsonFile(report, 2), { flag: '--output', path: paths.report, name: paths.reportName }, context, {
    label: 'stdout',
    write: (text) => context.stdout.write(text),
  });
  const written: WrittenOutputs = { lines: [['Report', saved.where ?? NOT_SAVED]], moved: saved.moved, reportAt: saved.where };
  if (paths.html !== undefined) {
    const html = await saveHtml(report, paths.html, context);
    written.lines.push(['HTML', html.where ?? NOT_SAVED]);
    written.moved ||= html.moved;
  }
  return written;
}
