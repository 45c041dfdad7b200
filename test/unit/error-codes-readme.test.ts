import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../src/report/error-codes.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const section = /## Error codes\n([\s\S]*?)\n## /.exec(readme)?.[1] ?? '';

describe("the README's error-code list", () => {
  it('lists every code the summary can explain, with the same words', () => {
    expect(section).not.toBe('');
    for (const [code, info] of Object.entries(ERROR_CODES)) {
      expect(section, code).toContain(`| \`${code}\` | ${info.meaning} | ${info.check} |`);
    }
  });
});
