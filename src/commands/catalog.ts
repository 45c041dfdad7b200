import { Command } from 'commander';
import { CAMERAS_FLAGS, flagSpecs, MAX_FLAGS, MERGE_FLAGS, REPORT_FLAGS, RUN_FLAGS, addFlags, type FlagSpec } from '../options/flags.js';
import { SIMULATE_FLAGS } from '../options/simulate-options.js';
import { COMPARE_FLAGS } from '../options/compare-options.js';
import { HELP_SETTINGS, helpWithDefaultCommand } from './help.js';

// Every command's name, description, argument and flags, apart from its module: the CLI lists them all in its
// help, and shows one command's help, while loading only the module argv names (a command's module loads its engine).

export interface CommandInfo {
  name: string;
  description: string;
  arguments?: readonly { name: string; description: string }[];
  flags: readonly FlagSpec[];
}

export const COMMANDS = {
  run: { name: 'run', description: 'load-test the camera streams (the default command)', flags: flagSpecs(RUN_FLAGS, 'run') },
  max: { name: 'max', description: 'find the maximum stable number of concurrent streams', flags: flagSpecs(MAX_FLAGS, 'max') },
  simulate: { name: 'simulate', description: 'run the simulated camera fleet (camera API + MJPEG streams) on 127.0.0.1', flags: SIMULATE_FLAGS },
  merge: {
    name: 'merge',
    description: 'one exact report from the reports of a sharded run (--shard / --shards)',
    arguments: [{ name: '<report.json...>', description: 'the shard reports, in any order' }],
    flags: flagSpecs(MERGE_FLAGS, 'merge'),
  },
  cameras: {
    name: 'cameras',
    description: 'list the active cameras once (a dry run), and with --output write them as a file for --cameras-file',
    flags: flagSpecs(CAMERAS_FLAGS, 'cameras'),
  },
  report: {
    name: 'report',
    description: 'show a saved report (run, max or merged) again, and with --html draw it as one HTML page',
    arguments: [{ name: '<report.json>', description: 'the report' }],
    flags: flagSpecs(REPORT_FLAGS, 'report'),
  },
  compare: {
    name: 'compare',
    description: 'did the server get worse? two reports compared figure by figure, with statistics (exit 1: a figure is worse)',
    arguments: [
      { name: '<base.json>', description: 'the report to compare against (the last good run)' },
      { name: '<new.json>', description: 'the report of the run under test' },
    ],
    flags: COMPARE_FLAGS,
  },
} as const satisfies Record<string, CommandInfo>;

export type CommandName = keyof typeof COMMANDS;

/** A command as the help shows it and commander parses it, before its action is attached. */
export function declareCommand(info: CommandInfo): Command {
  const command = new Command(info.name).description(info.description).configureHelp(HELP_SETTINGS);
  for (const argument of info.arguments ?? []) command.argument(argument.name, argument.description);
  return addFlags(command, info.flags);
}

/** The first word of argv when it names no command (`camera-load rn`): commander would take it for run's argument. */
export function unknownCommand(args: readonly string[]): string | undefined {
  const first = args.find((arg) => arg !== '--debug');
  if (first === undefined || first.startsWith('-') || first === 'help' || first in COMMANDS) return undefined;
  return first;
}

/** The program with its commands, run the default: its help lists every command, then run's options. */
export function declareProgram(version: string, commands: readonly Command[]): Command {
  const program = new Command('camera-load')
    .description('Load tester for MJPEG (multipart/x-mixed-replace) camera streams')
    .version(version, '-V, --version')
    .option('--debug', 'show stack traces for errors');
  for (const command of commands) program.addCommand(command, { isDefault: command.name() === COMMANDS.run.name });
  const run = program.commands.find((command) => command.name() === COMMANDS.run.name);
  return run === undefined ? program : program.configureHelp(helpWithDefaultCommand(run));
}
