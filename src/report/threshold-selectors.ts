import { UsageError } from '../errors.js';
import { INPUT_LIMITS } from '../input-limits.js';
import { closestNames } from '../text/did-you-mean.js';
import { VIEWER_GROUPS, type ViewerGroup } from '../viewers.js';
import { reportForViewers } from './report-for-viewers.js';
import type { Report } from './report-types.js';

// k6-style tag selectors on a threshold, `fps.p5{viewers:slow}>=2`, `fps.p5{stage:3}>=4.5`: the part of the run
// its metric is read from.

/** What a threshold's `{KEY:VALUE,...}` narrows its metric to; no key: the whole run. */
export interface ThresholdSelector {
  viewers?: ViewerGroup;
  /** A stage of --stages, 1-based: the metric's figure within it (threshold-stages.ts). */
  stage?: number;
}

type SelectorKeyName = keyof ThresholdSelector;

/** One key a selector may name: the values it takes, and how it narrows the report a metric is read from. */
interface SelectorKey<V> {
  /** The value written as `text`; undefined when it is none of this key's. */
  parse(text: string): V | undefined;
  /** The value as the canonical form writes it (parse reads it back). */
  format(value: V): string;
  /** What it takes, for an error: its values, or their form. */
  known: string;
  /** Values to suggest from when one is refused; none when the values are not a list (a number, say). */
  suggestions: readonly string[];
  /** The report a metric is read from under this value; null when the run has nothing there (the threshold fails). */
  narrow(report: Report, value: V): Report | null;
}

function oneOf<V extends string>(values: readonly V[], narrow: (report: Report, value: V) => Report | null): SelectorKey<V> {
  return { parse: (text) => values.find((value) => value === text), format: (value) => value, known: values.join(', '), suggestions: values, narrow };
}

/**
 * A stage's number, as --stages lists them from 1. The report is the metric's whole view still: which of its figures
 * a stage has is the metric's own (threshold-stages.ts); a stage the run did not have narrows to nothing.
 */
const STAGE_NUMBER: SelectorKey<number> = {
  parse: (text) => (/^[1-9][0-9]{0,5}$/.test(text) && Number(text) <= INPUT_LIMITS.stages ? Number(text) : undefined),
  format: String,
  known: `a stage's number, 1 to ${INPUT_LIMITS.stages}, as --stages lists them (e.g. {stage:2})`,
  suggestions: [],
  narrow: (report, stage) => (report.stages?.[stage - 1] === undefined ? null : report),
};

/** The keys, in the order of the canonical form (`{viewers:slow,stage:2}`). Another key is one entry here and one field of ThresholdSelector. */
const SELECTOR_KEYS: { readonly [K in SelectorKeyName]-?: SelectorKey<NonNullable<ThresholdSelector[K]>> } = {
  viewers: oneOf(VIEWER_GROUPS, reportForViewers),
  stage: STAGE_NUMBER,
};

const KEY_NAMES = Object.keys(SELECTOR_KEYS) as SelectorKeyName[];
const isKeyName = (name: string): name is SelectorKeyName => (KEY_NAMES as readonly string[]).includes(name);
/** A key's entry with its value type left open, for the loops over every key (each value stays with its own key). */
const keyOf = (name: SelectorKeyName): SelectorKey<unknown> => SELECTOR_KEYS[name];

const ENTRY = /^\s*([^\s:,]+)\s*:\s*([^\s:,]+)\s*$/;

/** A did-you-mean for a near miss, else what is known (`keys: viewers`, `viewers: normal, slow, …`). */
const hint = (name: string, candidates: readonly string[], known: string): string => {
  const names = closestNames(name, candidates);
  return names.length > 0 ? `did you mean ${names.join(' or ')}?` : `known ${known}`;
};

/** The selector between the braces of `threshold` (`viewers:slow`); anything but known keys, each once, is a usage error. */
export function parseSelector(threshold: string, body: string): ThresholdSelector {
  const refuse = (what: string): UsageError => new UsageError(`--threshold '${threshold}': ${what}`, { code: 'ERR_BAD_THRESHOLD' });
  const keys = KEY_NAMES.join(', ');
  if (body.trim() === '') throw refuse(`empty selector {}; give KEY:VALUE (keys: ${keys}) or leave the braces out`);
  const selector: Partial<Record<SelectorKeyName, unknown>> = {};
  for (const entry of body.split(',')) {
    if (entry.trim() === '') throw refuse(`empty entry in selector {${body}}; entries are KEY:VALUE separated by commas`);
    const match = ENTRY.exec(entry);
    if (!match) throw refuse(`selector entry '${entry.trim()}' is not KEY:VALUE (e.g. {viewers:slow})`);
    const [, key = '', text = ''] = match;
    if (!isKeyName(key)) throw refuse(`unknown selector key '${key}'; ${hint(key, KEY_NAMES, `keys: ${keys}`)}`);
    if (key in selector) throw refuse(`selector key '${key}' given twice`);
    const definition = keyOf(key);
    const value = definition.parse(text);
    if (value === undefined) throw refuse(`unknown value '${text}' for ${key}; ${hint(text, definition.suggestions, `${key}: ${definition.known}`)}`);
    selector[key] = value;
  }
  return selector as ThresholdSelector;
}

/** The canonical text of a selector, `{viewers:slow}` (keys in table order, no spaces); '' for none. */
export function formatSelector(selector: ThresholdSelector): string {
  const entries = KEY_NAMES.flatMap((key) => {
    const value = selector[key];
    return value === undefined ? [] : [`${key}:${keyOf(key).format(value)}`];
  });
  return entries.length > 0 ? `{${entries.join(',')}}` : '';
}

/** The report the metric of a threshold with this selector is read from; null when the run has no such part. */
export function narrowReport(report: Report, selector: ThresholdSelector): Report | null {
  let view: Report | null = report;
  for (const key of KEY_NAMES) {
    const value = selector[key];
    if (value !== undefined && view !== null) view = keyOf(key).narrow(view, value);
  }
  return view;
}
