import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../src/report/error-codes.js';

const page = readFileSync(new URL('../../docs/error-codes.md', import.meta.url), 'utf8');
const section = /\n## How a connection ended\n([\s\S]*?)\n## /.exec(page)?.[1] ?? '';

describe("docs/error-codes.md's list of how a connection ended", () => {
  it('lists every code the summary can explain, with the same words', () => {
    expect(section).not.toBe('');
    for (const [code, info] of Object.entries(ERROR_CODES)) {
      expect(section, code).toContain(`| \`${code}\` | ${info.meaning} | ${info.check} |`);
    }
  });
});
