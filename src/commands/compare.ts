import type { Command } from 'commander';
import type { ActionRunner, CommandContext, CommandResult } from '../command-context.js';
import { compareMaxReports } from '../compare/compare-max.js';
import { compareReports } from '../compare/compare-reports.js';
import type { CompareResult } from '../compare/compare-types.js';
import { defined } from '../defined.js';
import { UsageError } from '../errors.js';
import type { Report } from '../report/report-types.js';
import { ExitCode, mostUrgent } from '../exit-codes.js';
import { compareTargets, writeCompareOutputs } from '../files/compare-outputs.js';
import { readAnyReport } from '../files/read-reports.js';
import { resolveCompareOptions, type CompareFlags, type CompareOptions } from '../options/compare-options.js';
import { renderCompare } from '../render/compare-table.js';
import { VERSION } from '../version.js';
import { COMMANDS, declareCommand } from './catalog.js';

// `camera-load compare BASE.json NEW.json`: two reports (runs, or max searches) → a verdict per figure → the table,
// the files asked for, and exit 1 when any figure is worse.

/** Both reports read (two runs, or two max searches) and compared; one of each kind is refused (exit 2). */
async function compared(options: CompareOptions, html: boolean): Promise<{ result: CompareResult; runs?: { base: Report; next: Report } }> {
  const [base, next] = await Promise.all([readAnyReport(options.base), readAnyReport(options.next)]);
  const input = {
    files: { base: options.base, next: options.next },
    ...defined({ noise: options.noise }),
    allowDifferentPlans: options.allowDifferentPlans,
    version: VERSION,
  };
  if (base.command === 'run' && next.command === 'run') return { result: compareReports({ ...input, base, next }), runs: { base, next } };
  if (base.command === 'max' && next.command === 'max') {
    if (html) throw new UsageError("--html draws two runs' distributions; two max searches compare on one line: the table, --output and --junit hold it");
    return { result: compareMaxReports({ ...input, base, next }) };
  }
  const kind = (report: { command: string }): string => (report.command === 'max' ? 'a max report' : "a run's report");
  throw new UsageError(`BASE is ${kind(base)}, NEW ${kind(next)}: compare takes two runs or two max searches (ERR_COMPARE_KINDS)`, {
    code: 'ERR_COMPARE_KINDS',
  });
}

async function compare(baseFile: string, nextFile: string, flags: CompareFlags, context: CommandContext): CommandResult {
  const options = resolveCompareOptions(baseFile, nextFile, flags);
  const targets = await compareTargets(options, context);
  const { result, runs } = await compared(options, targets.html !== undefined);
  if (!options.quiet) context.stdout.write(renderCompare(result));
  const written = await writeCompareOutputs(result, runs, targets, context);
  if (!options.quiet) for (const [label, where] of written.lines) context.stdout.write(`${`${label}:`.padEnd(8)}${where}\n`);
  return mostUrgent([result.verdict === 'worse' ? ExitCode.THRESHOLD_FAILED : ExitCode.OK, written.moved ? ExitCode.OUTPUT_ELSEWHERE : ExitCode.OK]);
}

export function compareCommand(runAction: ActionRunner): Command {
  const command = declareCommand(COMMANDS.compare);
  return command.action((base: string, next: string, flags: CompareFlags) => runAction((context) => compare(base, next, flags, context)));
}
