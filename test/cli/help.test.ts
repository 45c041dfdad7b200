import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { camerasCommand } from '../../src/commands/cameras.js';
import { maxCommand } from '../../src/commands/max.js';
import { mergeCommand } from '../../src/commands/merge.js';
import { reportCommand } from '../../src/commands/report.js';
import { runCommand } from '../../src/commands/run.js';
import { simulateCommand } from '../../src/commands/simulate.js';
import { VERSION } from '../../src/version.js';
import { runCli } from '../helpers/run-cli.js';

// --version and --help load no command (src/cli.ts lists them from src/commands/catalog.ts): what they print must be
// what commander prints with every command loaded.
function everyCommandLoaded(): Command {
  const never = () => Promise.reject(new Error('not run'));
  const program = new Command('camera-load')
    .description('Load tester for MJPEG (multipart/x-mixed-replace) camera streams')
    .version(VERSION, '-V, --version')
    .option('--debug', 'show stack traces for errors');
  program.addCommand(runCommand(never), { isDefault: true });
  for (const factory of [maxCommand, simulateCommand, mergeCommand, camerasCommand, reportCommand]) program.addCommand(factory(never));
  return program;
}

describe('--help and --version without the commands loaded', () => {
  it('the top-level help lists every command as the command itself does', async () => {
    const expected = everyCommandLoaded().helpInformation();
    for (const args of [['--help'], ['-h'], ['--debug', '--help']]) {
      const result = await runCli(args);
      expect(result.code).toBe(0);
      expect(result.stdout).toBe(expected);
    }
  });

  it('--version prints the version wherever it stands', async () => {
    for (const args of [['--version'], ['-V'], ['run', '--version']]) {
      const result = await runCli(args);
      expect(result.code).toBe(0);
      expect(result.stdout.trim()).toBe(VERSION);
    }
  });

  it('a command loads when named, and help <command> shows its options', async () => {
    const help = await runCli(['help', 'simulate']);
    expect(help.stdout).toContain('--frame-size');
    const merge = await runCli(['merge']);
    expect(merge.code).toBe(2);
    expect(merge.stderr).toContain("missing required argument 'report.json'");
  });
});
