import { readdirSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { anchorsOf, brokenLink, clicksFrom, githubSlug, linksOf } from '../helpers/markdown-links.js';

// The README is a door (STYLE.md, habit 19): small, and every topic page under docs/ within two clicks of it. Every
// relative link and #anchor of the README and of docs/*.md must lead somewhere, as GitHub renders them.

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const README_LIMIT_BYTES = 25_000;
const read = (file: string): string => readFileSync(`${ROOT}${file}`, 'utf8');
const docs = readdirSync(`${ROOT}docs`)
  .filter((name) => name.endsWith('.md'))
  .map((name) => `docs/${name}`)
  .sort();
const pages = ['README.md', ...docs];

describe('GitHub anchors, as the link check reads them', () => {
  it.each([
    ['Usage', 'usage'],
    ['Proxies, private certificate authorities and camera credentials', 'proxies-private-certificate-authorities-and-camera-credentials'],
    ['`camera-load max`: the maximum stable number of concurrent streams', 'camera-load-max-the-maximum-stable-number-of-concurrent-streams'],
    ['2,000 streams × 5 fps × 20 KB', '2000-streams--5-fps--20-kb'],
    ["A stream's start", 'a-streams-start'],
    ['The same 2,000 streams with `--max-semi-space-size=2`', 'the-same-2000-streams-with---max-semi-space-size2'],
    ['**Bold** and _emphasis_ and `camera_load_frames_total`', 'bold-and-emphasis-and-camera_load_frames_total'],
    ['[A link](x.md) in a heading', 'a-link-in-a-heading'],
  ])('%s → #%s', (heading, slug) => {
    expect(githubSlug(heading)).toBe(slug);
  });

  it('numbers repeated headings, and ignores headings and links in code', () => {
    const page = '# Title\n## Options\n```md\n## Not a heading [x](nowhere.md)\n```\n### Options\nSee `[y](nowhere.md)` and [z](a.md#b).\n';
    expect([...anchorsOf(page)]).toEqual(['title', 'options', 'options-1']);
    expect(linksOf(page)).toEqual([{ target: 'a.md#b', line: 7 }]);
  });
});

describe('the README and docs/*.md', () => {
  it(`the README is a door: at most ${README_LIMIT_BYTES.toLocaleString('en-US')} bytes`, () => {
    expect(statSync(`${ROOT}README.md`).size).toBeLessThanOrEqual(README_LIMIT_BYTES);
  });

  it('the README opens with the two commands: a real load test against the simulator, and every test', () => {
    const first = /^# camera-load\n\n```bash\n([\s\S]*?)```/.exec(read('README.md'))?.[1] ?? '';
    const lines = first.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^npm ci && npx camera-load --simulate /);
    expect(lines[1]).toMatch(/^npm test\s/);
  });

  it('every relative link leads to a file, and every #anchor to a heading of its page', () => {
    const broken = pages.flatMap((page) => linksOf(read(page)).map((link) => brokenLink(ROOT, page, link)));
    expect(broken.filter((problem) => problem !== undefined)).toEqual([]);
  });

  it('every page of docs/ is within two clicks of the README', () => {
    const clicks = clicksFrom(ROOT, 'README.md', read);
    const far = docs
      .filter((page) => (clicks.get(page) ?? Infinity) > 2)
      .map((page) => `${page}: ${clicks.has(page) ? `${clicks.get(page)} clicks` : 'not linked'}`);
    expect(far).toEqual([]);
  });

  it('every page of docs/ opens with its title and a paragraph that says what it covers and links back to the README', () => {
    const missing = docs.flatMap((page) => {
      const [title = '', blank = '', ...rest] = read(page).split('\n');
      const opening = rest.slice(0, rest.indexOf('')).join(' ');
      if (!title.startsWith('# ') || blank !== '' || opening === '') return [`${page}: no '# Title', blank line, then an opening paragraph`];
      return opening.includes('](../README.md') ? [] : [`${page}: its opening paragraph has no link back to ../README.md`];
    });
    expect(missing).toEqual([]);
  });
});
