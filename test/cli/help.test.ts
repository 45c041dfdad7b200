import type { Command } from 'commander';
import { COMMANDS, declareProgram, type CommandName } from '../../src/commands/catalog.js';
import { describe, expect, it } from 'vitest';
import { camerasCommand } from '../../src/commands/cameras.js';
import { compareCommand } from '../../src/commands/compare.js';
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
  return declareProgram(
    VERSION,
    [runCommand, maxCommand, simulateCommand, mergeCommand, camerasCommand, reportCommand, compareCommand].map((factory) => factory(never)),
  );
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

/** The long flags a help lists, in order. */
const listedFlags = (help: string): string[] => [...help.matchAll(/^ {2}(?:-\w, )?(--[\w-]+)(?: <[^>]+>| \[[^\]]+\])? {2,}\S/gm)].map((m) => m[1] ?? '');
const longFlag = (flags: string): string => /--[\w-]+/.exec(flags)?.[0] ?? '';

describe('help per command', () => {
  it("each command's --help lists its own options, and only those, with its own texts", async () => {
    for (const name of Object.keys(COMMANDS) as CommandName[]) {
      const result = await runCli([name, '--help']);
      expect(result.code, name).toBe(0);
      expect(listedFlags(result.stdout), name).toEqual([...COMMANDS[name].flags.map((spec) => longFlag(spec.flags)), '--help']);
    }
    const report = await runCli(['report', '--help']);
    expect(report.stdout).not.toMatch(/log are still written|--junit|--threshold/);
    const cameras = await runCli(['cameras', '--help']);
    expect(cameras.stdout).toContain('list its cameras');
    expect(cameras.stdout).not.toContain('load-test it');
  });

  it("camera-load --help shows run's options, as the default command takes them, grouped", async () => {
    const result = await runCli(['--help']);
    expect(result.stdout).toContain('run, the default command');
    const afterCommands = result.stdout.slice(result.stdout.indexOf('run, the default command'));
    expect(listedFlags(afterCommands)).toEqual(COMMANDS.run.flags.map((spec) => longFlag(spec.flags)));
    for (const heading of ['Load:', 'Cameras:', 'Outputs:', 'Live metrics (Prometheus):']) expect(afterCommands).toContain(`\n${heading}\n`);
    expect(result.stdout).not.toMatch(/default: \[\]|default: "/);
  });

  it('an unknown command is named, with the nearest command when one is close, and runs nothing', async () => {
    const typo = await runCli(['rn', '--simulate', '--duration', '60s']);
    expect(typo.code).toBe(2);
    expect(typo.stderr.trim()).toBe("camera-load: unknown command 'rn' (did you mean run?) (see camera-load --help)");
    expect(typo.stdout).toBe('');
    const far = await runCli(['--debug', 'benchmark']);
    expect(far.code).toBe(2);
    expect(far.stderr.trim()).toBe("camera-load: unknown command 'benchmark' (see camera-load --help)");
    const near = await runCli(['merg', 'a.json']);
    expect(near.stderr).toContain('(did you mean merge?)');
  });
});
