import type { Command } from 'commander';
import type { ActionRunner, CommandContext, CommandResult } from '../command-context.js';
import { compareReports } from '../compare/compare-reports.js';
import { ExitCode, mostUrgent } from '../exit-codes.js';
import { compareTargets, writeCompareOutputs } from '../files/compare-outputs.js';
import { readRunReport } from '../files/read-reports.js';
import { resolveCompareOptions, type CompareFlags } from '../options/compare-options.js';
import { renderCompare } from '../render/compare-table.js';
import { VERSION } from '../version.js';
import { COMMANDS, declareCommand } from './catalog.js';

// `camera-load compare BASE.json NEW.json`: two reports → a verdict per figure → the table, the files asked for,
// and exit 1 when any figure is worse.

async function compare(baseFile: string, nextFile: string, flags: CompareFlags, context: CommandContext): CommandResult {
  const options = resolveCompareOptions(baseFile, nextFile, flags);
  const targets = await compareTargets(options, context);
  const [base, next] = await Promise.all([readRunReport(options.base), readRunReport(options.next)]);
  const result = compareReports({
    base,
    next,
    files: { base: options.base, next: options.next },
    ...(options.noise === undefined ? {} : { noise: options.noise }),
    allowDifferentPlans: options.allowDifferentPlans,
    version: VERSION,
  });
  if (!options.quiet) context.stdout.write(renderCompare(result));
  const written = await writeCompareOutputs(result, { base, next }, targets, context);
  if (!options.quiet) for (const [label, where] of written.lines) context.stdout.write(`${`${label}:`.padEnd(8)}${where}\n`);
  return mostUrgent([result.verdict === 'worse' ? ExitCode.THRESHOLD_FAILED : ExitCode.OK, written.moved ? ExitCode.OUTPUT_ELSEWHERE : ExitCode.OK]);
}

export function compareCommand(runAction: ActionRunner): Command {
  const command = declareCommand(COMMANDS.compare);
  return command.action((base: string, next: string, flags: CompareFlags) => runAction((context) => compare(base, next, flags, context)));
}
