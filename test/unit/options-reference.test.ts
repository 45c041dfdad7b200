import { describe, expect, it } from 'vitest';
import { renderOptionsReference } from '../helpers/options-reference.js';

// One source for the option texts: docs/options.md is drawn from the flag table, and this fails while they disagree
// (`-u` writes the page anew; CI never does).
describe('docs/options.md', () => {
  it('is the flag table as the reference draws it', async () => {
    await expect(renderOptionsReference()).toMatchFileSnapshot('../../docs/options.md');
  });
});
