import { expect } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { resolveRunOptions, type RunFlags, type RunOptions } from '../../src/options/run-options.js';
import { ENGINE_FLAGS } from './engine-flags.js';

/** The error `fn` throws: a UsageError, with its code and its one-line message. */
export function refusal(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return { code: (error as UsageError).code, message: (error as UsageError).message };
  }
  throw new Error('no error thrown');
}

const RUN: RunFlags = { ...ENGINE_FLAGS, threshold: [] };

/** `run`'s options from these flags over the defaults, as commander hands them. */
export const runOptions = (flags: Partial<RunFlags>): RunOptions => resolveRunOptions({ ...RUN, ...flags }, {}, false, new Date());
