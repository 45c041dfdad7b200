import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { askStreamCount } from '../../src/terminal/prompt.js';

function terminal(answers: string[]): { input: PassThrough; output: PassThrough; written: () => string } {
  const input = new PassThrough();
  const output = new PassThrough();
  let text = '';
  output.on('data', (chunk: Buffer) => {
    text += chunk.toString();
    // Answer each question as it is asked, like a person would.
    if (text.split('concurrent streams').length - 1 > answers.length - remaining.length) {
      const next = remaining.shift();
      if (next !== undefined) input.write(`${next}\n`);
    }
  });
  const remaining = [...answers];
  return { input, output, written: () => text };
}

describe('interactive stream count', () => {
  it('shows the active cameras and takes a valid answer', async () => {
    const t = terminal(['120']);
    expect(await askStreamCount(t.input, t.output, 37, 50)).toBe(120);
    expect(t.written()).toContain('37 active cameras found.');
    expect(t.written()).toContain('How many concurrent streams should be opened? [50]');
  });

  it('Enter takes the default', async () => {
    const t = terminal(['']);
    expect(await askStreamCount(t.input, t.output, 5, 50)).toBe(50);
  });

  it('asks again after a bad answer', async () => {
    const t = terminal(['abc', '-3', '7']);
    expect(await askStreamCount(t.input, t.output, 5, 50)).toBe(7);
    expect(t.written().match(/Please enter a whole number/g)).toHaveLength(2);
  });

  it('gives up with a usage error after three bad answers', async () => {
    const t = terminal(['x', 'y', 'z']);
    await expect(askStreamCount(t.input, t.output, 5, 50)).rejects.toBeInstanceOf(UsageError);
  });
});
