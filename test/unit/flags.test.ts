import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { COMMANDS, type CommandName } from '../../src/commands/catalog.js';
import { camerasCommand } from '../../src/commands/cameras.js';
import { compareCommand } from '../../src/commands/compare.js';
import { maxCommand } from '../../src/commands/max.js';
import { mergeCommand } from '../../src/commands/merge.js';
import { reportCommand } from '../../src/commands/report.js';
import { runCommand } from '../../src/commands/run.js';
import { simulateCommand } from '../../src/commands/simulate.js';
import { UsageError } from '../../src/errors.js';
import { FLAGS, flagSpecs, RUN_FLAGS, type FlagSpec } from '../../src/options/flags.js';
import { SIMULATE_FLAGS } from '../../src/options/simulate-options.js';

const noAction = (): Promise<void> => Promise.resolve();
const COMMAND_OBJECTS: Record<CommandName, Command> = {
  run: runCommand(noAction),
  max: maxCommand(noAction),
  simulate: simulateCommand(noAction),
  merge: mergeCommand(noAction),
  cameras: camerasCommand(noAction),
  report: reportCommand(noAction),
  compare: compareCommand(noAction),
};
const long = (flags: string): string => flags.split(/[ ,]/)[0] ?? '';

describe('every flag declared once, in one table', () => {
  it('each command takes exactly its flags from the catalog, with their texts, defaults and groups', () => {
    for (const [name, command] of Object.entries(COMMAND_OBJECTS) as [CommandName, Command][]) {
      const specs = COMMANDS[name].flags;
      expect(
        command.options.map((o) => o.flags),
        name,
      ).toEqual(specs.map((spec) => spec.flags));
      command.options.forEach((option, i) => {
        const spec = specs[i];
        expect(option.description).toBe(spec?.description);
        expect(option.defaultValue).toEqual(spec?.default);
        expect(option.defaultValueDescription).toBe(spec?.defaultText);
        expect(option.helpGroupHeading).toBe(spec?.group);
      });
    }
  });

  it('no flag is declared twice, and simulate takes its own table', () => {
    const shared = Object.values(FLAGS).map((f) => long(f.flags));
    expect(new Set(shared).size).toBe(shared.length);
    const simulate = SIMULATE_FLAGS.map((f) => long(f.flags));
    expect(new Set(simulate).size).toBe(simulate.length);
  });

  it("a command's text speaks of that command only: no 'run: … max: …' shared between them", () => {
    const names = Object.keys(COMMANDS);
    for (const info of Object.values(COMMANDS)) {
      for (const spec of info.flags) {
        for (const other of names) expect(spec.description, `${info.name} ${spec.flags}`).not.toMatch(new RegExp(`\\b${other}:`));
      }
    }
  });

  it('a per-command text replaces the common one for that command alone', () => {
    const quiet = (name: 'run' | 'report' | 'cameras'): string => flagSpecs(['quiet'], name)[0]?.description ?? '';
    expect(quiet('run')).toContain('log are still written');
    expect(quiet('report')).not.toContain('log');
    expect(quiet('cameras')).not.toContain('log');
    expect(flagSpecs(RUN_FLAGS, 'run').map((spec) => spec.flags)).toEqual(RUN_FLAGS.map((name) => FLAGS[name].flags));
  });

  it("each list keeps a group's flags together, so a command's help lists every group once", () => {
    for (const info of Object.values(COMMANDS)) {
      const order = info.flags.map((spec) => spec.group);
      const runs = order.filter((group, i) => group !== order[i - 1]);
      expect(new Set(runs).size, info.name).toBe(runs.length);
    }
  });
});

describe('flags taken once', () => {
  const parse = (args: string[]): Record<string, unknown> => {
    const command = runCommand(noAction).exitOverride();
    command.parse(args, { from: 'user' });
    return command.opts();
  };

  it('a second use of a viewer-group flag is refused, not silently put in place of the first', () => {
    expect(parse(['--slow-viewers', '20%@1Mbps', '--seed', '7']).slowViewers).toBe('20%@1Mbps');
    for (const flag of ['--slow-viewers', '--pausing-viewers', '--stuck-viewers', '--lead-in', '--seed']) {
      let error: unknown;
      try {
        parse([flag, 'a', `${flag}=b`]);
      } catch (thrown) {
        error = thrown;
      }
      expect(error, flag).toBeInstanceOf(UsageError);
      expect((error as UsageError).code).toBe('ERR_FLAG_REPEATED');
      expect((error as UsageError).message).toBe(`${flag} is taken once; got 'a' and 'b': give one`);
    }
  });

  it('only flags with no parsed default are taken once (commander hands the default over as the value before)', () => {
    for (const spec of Object.values(FLAGS) as FlagSpec[]) if (spec.once === true) expect(spec.default, spec.flags).toBeUndefined();
  });

  it("the viewer groups and the seed are run's alone", () => {
    const viewerFlags = ['--slow-viewers', '--pausing-viewers', '--stuck-viewers', '--lead-in', '--seed'];
    for (const [name, info] of Object.entries(COMMANDS)) {
      const taken = info.flags.map((spec) => long(spec.flags)).filter((flag) => viewerFlags.includes(flag));
      // simulate has a --seed of its own, for its fleet.
      expect(taken, name).toEqual(name === 'run' ? viewerFlags : name === 'simulate' ? ['--seed'] : []);
    }
  });
});
