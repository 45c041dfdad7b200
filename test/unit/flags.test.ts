import { describe, expect, it } from 'vitest';
import { maxCommand } from '../../src/commands/max.js';
import { runCommand } from '../../src/commands/run.js';
import { simulateCommand } from '../../src/commands/simulate.js';
import { FLAGS, MAX_FLAGS, RUN_FLAGS } from '../../src/options/flags.js';
import { SIMULATE_FLAGS } from '../../src/options/simulate-options.js';

const noAction = (): Promise<void> => Promise.resolve();

describe('every flag declared once, in one table', () => {
  it('run and max take exactly their flags from the table, with its descriptions and defaults', () => {
    for (const [command, names] of [
      [runCommand(noAction), RUN_FLAGS],
      [maxCommand(noAction), MAX_FLAGS],
    ] as const) {
      expect(command.options.map((o) => o.flags)).toEqual(names.map((name) => FLAGS[name].flags));
      for (const option of command.options) {
        const spec = Object.values(FLAGS).find((f) => f.flags === option.flags);
        expect(option.description).toBe(spec?.description);
        expect(option.defaultValue).toEqual('default' in (spec ?? {}) ? (spec as { default: unknown }).default : undefined);
      }
    }
  });

  it('no flag is declared twice, and simulate takes its own table', () => {
    const long = (flags: string): string => flags.split(/[ ,]/)[0] ?? '';
    const runAndMax = Object.values(FLAGS).map((f) => long(f.flags));
    expect(new Set(runAndMax).size).toBe(runAndMax.length);
    const simulate = SIMULATE_FLAGS.map((f) => long(f.flags));
    expect(new Set(simulate).size).toBe(simulate.length);
    expect(simulateCommand(noAction).options.map((o) => o.flags)).toEqual(SIMULATE_FLAGS.map((f) => f.flags));
  });
});
