import { describe, expect, it } from 'vitest';
import { withoutStackTraces } from '../../src/run/without-stack-traces.js';

describe('withoutStackTraces: no stack traces while a run stops', () => {
  it('turns them off from start to end and restores the limit as it was, once', () => {
    const before = Error.stackTraceLimit;
    const quiet = withoutStackTraces();
    quiet.end();
    expect(Error.stackTraceLimit).toBe(before);
    quiet.start();
    quiet.start();
    expect(Error.stackTraceLimit).toBe(0);
    expect(new Error('x').stack).toBe('Error: x');
    quiet.end();
    quiet.end();
    expect(Error.stackTraceLimit).toBe(before);
    expect(new Error('y').stack?.split('\n').length).toBeGreaterThan(1);
  });

  it('two runs stopping at once: the limit comes back when the last one is done, whatever the order', () => {
    const before = Error.stackTraceLimit;
    const a = withoutStackTraces();
    const b = withoutStackTraces();
    a.start();
    b.start();
    a.end();
    expect(Error.stackTraceLimit).toBe(0);
    b.end();
    expect(Error.stackTraceLimit).toBe(before);
  });
});
