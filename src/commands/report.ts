import { basename, resolve as resolvePath } from 'node:path';
import type { Command } from 'commander';
import type { ActionRunner, CommandContext, CommandResult } from '../command-context.js';
import { ExitCode } from '../exit-codes.js';
import { checkOutputs } from '../files/check-outputs.js';
import { htmlPath } from '../files/output-paths.js';
import { readAnyReport, renderReadBack } from '../files/read-reports.js';
import { renderSummary } from '../render/summary.js';
import { renderSearch } from '../render/trials.js';
import { saveHtml } from '../files/save-html.js';
import { COMMANDS, declareCommand } from './catalog.js';

// `camera-load report <report.json>`: a report read back (merged, from another machine, an older version) →
// its summary, and with --html its page.

interface ReportFlags {
  html?: string | true;
  quiet?: boolean;
}

async function showReport(file: string, flags: ReportFlags, context: CommandContext): CommandResult {
  const html = htmlPath(flags.html, resolvePath(file), basename(file));
  // As every command: a page that cannot be written is found before anything else (exit 2).
  if (html !== undefined) await checkOutputs([{ flag: '--html', path: html, append: false }]);
  const report = await readAnyReport(file);
  if (flags.quiet !== true) {
    const min = typeof report.config.min === 'number' ? report.config.min : 1;
    context.stdout.write(renderReadBack(file, () => (report.command === 'max' ? renderSearch(report, min) : renderSummary(report))));
  }
  if (html === undefined) return ExitCode.OK;
  const saved = await renderReadBack(file, () => saveHtml(report, html, context));
  if (flags.quiet !== true) context.stdout.write(`\nHTML:   ${saved.where ?? 'not saved (see stderr)'}\n`);
  return saved.moved ? ExitCode.OUTPUT_ELSEWHERE : ExitCode.OK;
}

export function reportCommand(runAction: ActionRunner): Command {
  const command = declareCommand(COMMANDS.report);
  return command.action((file: string, flags: ReportFlags) => runAction((context) => showReport(file, flags, context)));
}
