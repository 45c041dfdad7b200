import { UsageError } from '../errors.js';
import { defined } from '../defined.js';
import { GROUP, type FlagSpec } from './flag-table.js';

// `camera-load compare BASE.json NEW.json`: its flags, checked once at the edge.

export const COMPARE_FLAGS: readonly FlagSpec[] = [
  {
    flags: '--noise <share>',
    description: "the share of the base value a change must exceed to be better or worse, e.g. 5% (replaces each figure's own share; its floor stays)",
    defaultText: "each figure's own, calibrated from identical runs",
    more: 'See [compare](compare.md#noise-thresholds).',
    group: GROUP.verdict,
  },
  {
    flags: '--allow-different-plans',
    description: 'compare runs of different camera sets or stream counts (refused otherwise)',
    group: GROUP.verdict,
  },
  { flags: '--output <file>', description: "also write the result as JSON ('-': stdout)", defaultText: 'none', group: GROUP.outputs },
  { flags: '--junit <file>', description: 'also write one JUnit test case per figure (a worse figure fails)', group: GROUP.outputs },
  {
    flags: '--html [file]',
    description: "also write the comparison as one self-contained HTML page, both runs' distributions overlaid, for a browser, offline",
    defaultText: "NEW's name with .compare.html",
    more: 'See [compare](compare.md#outputs).',
    group: GROUP.outputs,
  },
  { flags: '--quiet', description: 'no table on stdout (the files asked for are still written)', group: GROUP.outputs },
];

/** What commander hands the compare command: raw text, checked here. */
export interface CompareFlags {
  noise?: string;
  allowDifferentPlans?: boolean;
  output?: string;
  junit?: string;
  html?: string | true;
  quiet?: boolean;
}

export interface CompareOptions {
  base: string;
  next: string;
  /** 0-1. */
  noise?: number;
  allowDifferentPlans: boolean;
  output?: string;
  junit?: string;
  /** The page's path as given, or NEW's with .compare.html for `--html` alone. */
  html?: string;
  quiet: boolean;
}

/** `--html` alone: beside NEW, named for it, so that the run's own page (NEW.html) is not overwritten. */
export const compareHtmlPath = (next: string): string => next.replace(/(\.json)?$/i, '.compare.html');

/** "5%" or "0.05" → 0.05; from 0 to 100%. */
export function parseNoise(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*(%?)\s*$/.exec(text);
  const value = match?.[1] === undefined ? NaN : Number(match[1]) / (match[2] === '%' ? 100 : 1);
  if (!(value >= 0 && value <= 1)) throw new UsageError(`--noise expects a share of the base value such as 5% or 0.05 (0 to 100%); got '${text}'`);
  return value;
}

export function resolveCompareOptions(base: string, next: string, flags: CompareFlags): CompareOptions {
  return {
    base,
    next,
    ...defined({ noise: flags.noise === undefined ? undefined : parseNoise(flags.noise) }),
    allowDifferentPlans: flags.allowDifferentPlans === true,
    ...defined({ output: flags.output, junit: flags.junit, html: flags.html === true ? compareHtmlPath(next) : flags.html }),
    quiet: flags.quiet === true,
  };
}
