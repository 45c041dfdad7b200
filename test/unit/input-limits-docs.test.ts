import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { INPUT_LIMITS } from '../../src/input-limits.js';

const page = readFileSync(new URL('../../docs/input-limits.md', import.meta.url), 'utf8');

describe('docs/input-limits.md', () => {
  it('names every limit of the table, with a reason', () => {
    for (const name of Object.keys(INPUT_LIMITS)) expect(page).toMatch(new RegExp(`\\| \`${name}\` \\| [^|]+ \\| [^|]{20,} \\|`));
  });
});
