import type { Command } from 'commander';
import type { ActionRunner, CommandContext, CommandResult } from '../command-context.js';
import { resolveMergeOptions, type MergeFlags } from '../options/merge-options.js';
import { mergeOutputTargets, readReports } from '../files/read-reports.js';
import { finishOutputs } from '../files/run-outputs.js';
import { exitCodeOf } from '../verdict/exit-code.js';
import { runVerdict } from '../verdict/run-verdict.js';
import { mergeReports } from '../report/merge-reports.js';
import { COMMANDS, declareCommand } from './catalog.js';
import { defined } from '../defined.js';

// `camera-load merge`: shard reports → one exact report → the outputs `run` writes, with `run`'s exit codes.

async function merge(files: string[], flags: MergeFlags, context: CommandContext): CommandResult {
  const options = resolveMergeOptions(files, flags);
  const targets = await mergeOutputTargets(options, context);
  const reports = await readReports(options.files);
  const report = mergeReports(reports, {
    allowPartial: options.allowPartial,
    names: options.files,
    ...defined({ thresholds: options.thresholds }),
  });
  const say = (text: string): void => {
    if (!options.quiet) context.stdout.write(`${text}\n`);
  };
  say(
    `Merged ${reports.length} shard report${reports.length === 1 ? '' : 's'}${report.partial ? ` (partial: shards ${(report.missingShards ?? []).join(', ')} missing)` : ''}`,
  );
  const written = await finishOutputs(report, targets, context, { quiet: options.quiet });
  // As `run`: an interrupted shard makes the merge 130, a saturated one 4, a failed threshold 1.
  return exitCodeOf(runVerdict(report).word, { outputsMoved: written.moved, stoppedInTime: true });
}

export function mergeCommand(runAction: ActionRunner): Command {
  const command = declareCommand(COMMANDS.merge);
  return command.action((files: string[], flags: MergeFlags) => runAction((context) => merge(files, flags, context)));
}
