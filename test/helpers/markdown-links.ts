import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

// Reading Markdown the way GitHub renders it, as far as links go: the links of a page (outside code), the anchors
// its headings get, and whether a link's file and anchor exist. Pure but for reading the files named.

/** One link of a page: its target as written and the line it is on. */
export interface MarkdownLink {
  target: string;
  line: number;
}

/** The page's lines with fenced code blocks blanked (kept as empty lines, so line numbers stay true). */
function outsideFences(text: string): string[] {
  let fence: string | undefined;
  return text.split('\n').map((line) => {
    const opening = /^\s{0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence === undefined) {
      if (opening === undefined) return line;
      fence = opening;
      return '';
    }
    if (opening !== undefined && opening.startsWith(fence.charAt(0)) && opening.length >= fence.length && line.trim() === opening) fence = undefined;
    return '';
  });
}

/** Inline code spans removed (`[not](a-link)` inside backticks is text). */
const withoutCodeSpans = (line: string): string => line.replace(/(`+)[\s\S]*?\1/g, '');

/** Every inline link and image of a page, `[text](target)` and `![alt](target)`, outside code. */
export function linksOf(text: string): MarkdownLink[] {
  const links: MarkdownLink[] = [];
  outsideFences(text).forEach((raw, index) => {
    const line = withoutCodeSpans(raw);
    for (const match of line.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) links.push({ target: match[1] ?? '', line: index + 1 });
  });
  return links;
}

/** A heading's text as GitHub renders it: code spans, emphasis and link syntax gone, their text kept. */
function renderedText(heading: string): string {
  return (
    heading
      .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/`([^`]*)`/g, '$1')
      .replace(/(\*\*|\*)(\S[\s\S]*?)\1/g, '$2')
      // Underscores emphasise only at word edges: `camera_load_frames_total` keeps its own.
      .replace(/(^|[^\p{L}\p{N}])(__|_)(\S[\s\S]*?)\2(?![\p{L}\p{N}])/gu, '$1$3')
      .replace(/<[^>]+>/g, '')
      .trim()
  );
}

/** GitHub's anchor for a heading: lower case, punctuation dropped (letters, digits, `-` and `_` kept), spaces to `-`. */
export function githubSlug(heading: string): string {
  return renderedText(heading)
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** The anchors of a page's headings, repeated ones numbered as GitHub numbers them (`-1`, `-2`, …). */
export function anchorsOf(text: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of outsideFences(text)) {
    const heading = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const slug = githubSlug(heading);
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

/** Whether a target leaves the repository: a URL with a scheme (https:, mailto:) or a protocol-relative one. */
export const isExternal = (target: string): boolean => /^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//');

/** A relative link resolved: the file it names (relative to the repository root) and its anchor, if any. */
export interface ResolvedLink {
  file: string;
  anchor: string | undefined;
}

/** Resolves a relative target written in `fromFile` (both relative to `root`). */
export function resolveLink(root: string, fromFile: string, target: string): ResolvedLink {
  const hash = target.indexOf('#');
  const path = hash === -1 ? target : target.slice(0, hash);
  const anchor = hash === -1 ? undefined : decodeURIComponent(target.slice(hash + 1));
  const file = path === '' ? fromFile : relative(root, normalize(join(root, dirname(fromFile), decodeURIComponent(path))));
  return { file, anchor };
}

/** What is wrong with one link, in a sentence naming the page, its line and the target; undefined when it resolves. */
export function brokenLink(root: string, fromFile: string, link: MarkdownLink): string | undefined {
  if (isExternal(link.target)) return undefined;
  const where = `${fromFile}:${link.line}: (${link.target})`;
  const { file, anchor } = resolveLink(root, fromFile, link.target);
  if (file.startsWith('..')) return `${where} points outside the repository`;
  if (!existsSync(join(root, file))) return `${where}: ${file} does not exist`;
  if (anchor === undefined || anchor === '') return undefined;
  if (!file.endsWith('.md')) return `${where}: an anchor into ${file}, which is not a Markdown page`;
  const anchors = anchorsOf(readFileSync(join(root, file), 'utf8'));
  return anchors.has(anchor) ? undefined : `${where}: ${file} has no heading whose anchor is #${anchor}`;
}

/** The Markdown pages a page links to (relative to the root), once each. */
export function pagesLinkedFrom(root: string, fromFile: string, text: string): string[] {
  const pages = linksOf(text)
    .filter((link) => !isExternal(link.target))
    .map((link) => resolveLink(root, fromFile, link.target).file)
    .filter((file) => file.endsWith('.md') && existsSync(join(root, file)));
  return [...new Set(pages)];
}

/** How many clicks each page is from `start` (0 for itself), following links between Markdown pages. */
export function clicksFrom(root: string, start: string, read: (file: string) => string): Map<string, number> {
  const clicks = new Map<string, number>([[start, 0]]);
  const queue = [start];
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    const depth = clicks.get(file) ?? 0;
    for (const page of pagesLinkedFrom(root, file, read(file))) {
      if (clicks.has(page)) continue;
      clicks.set(page, depth + 1);
      queue.push(page);
    }
  }
  return clicks;
}
