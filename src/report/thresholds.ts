import { UsageError } from '../errors.js';
import { closestNames } from '../text/did-you-mean.js';
import type { Report, ThresholdResult } from './report-types.js';
import { METRICS, METRICS_BY_NAME } from './threshold-metrics.js';
import { formatSelector, narrowReport, parseSelector, type ThresholdSelector } from './threshold-selectors.js';
import { readStage, stageSelectorProblem } from './threshold-stages.js';
import { stormSelectorProblem } from './threshold-storms.js';

export type { ThresholdSelector } from './threshold-selectors.js';

export type Operator = '<' | '<=' | '>' | '>=' | '==';

export interface Threshold {
  /** As the report, JUnit and summaries print it: the metric and value as given, the selector in canonical form. */
  expression: string;
  metric: string;
  /** Absent: the metric over the whole run. */
  selector?: ThresholdSelector;
  operator: Operator;
  value: number;
}

const SYNTAX = /^\s*([a-zA-Z][a-zA-Z0-9_.]*)\s*(?:\{([^{}]*)\}\s*)?(<=|>=|==|<|>)\s*([^\s<>={}][^\s{}]*)\s*$/;
const NUMBER = /^(-?(?:\d+(?:\.\d+)?|\.\d+))([a-z]*)$/;
/** Units a value may carry, by the unit of its metric: `delay.p95<500ms` and `<0.5s` say the same. */
const VALUE_UNITS: Readonly<Record<string, Readonly<Record<string, number>>>> = { ms: { ms: 1, s: 1000 } };

const thresholdError = (text: string, what: string): UsageError => new UsageError(`--threshold '${text}': ${what}`, { code: 'ERR_BAD_THRESHOLD' });

/** The value in the metric's own unit; a unit that does not fit the metric is an error, never a guess. */
function thresholdValue(text: string, value: string, metricUnit: string): number {
  const match = NUMBER.exec(value);
  if (!match) throw thresholdError(text, `'${value}' is not a number`);
  const [, number = '', unit = ''] = match;
  if (unit === '') return Number(number);
  const factor = VALUE_UNITS[metricUnit]?.[unit];
  if (factor === undefined) {
    const allowed = Object.keys(VALUE_UNITS[metricUnit] ?? {});
    throw thresholdError(
      text,
      `'${unit}' is not a unit of this metric (${metricUnit}${allowed.length > 0 ? `; use ${allowed.join(' or ')}` : ': give a plain number'})`,
    );
  }
  return Number(number) * factor;
}

/**
 * Parses `METRIC{KEY:VALUE,...} OP VALUE` (e.g. `fps.avg>=4`, `delay.p95<500ms`, `fps.p5{viewers:slow}>=2`; the
 * selector is optional); a typo is a usage error, never a silent pass.
 */
export function parseThreshold(text: string): Threshold {
  const match = SYNTAX.exec(text);
  if (!match) {
    if (/[{}]/.test(text)) {
      throw thresholdError(text, "malformed selector; expected METRIC{KEY:VALUE[,KEY:VALUE]} OP VALUE, e.g. 'fps.p5{viewers:slow}>=2'");
    }
    throw thresholdError(text, "expected METRIC OP VALUE, e.g. 'fps.avg>=4' (operators < <= > >= ==)");
  }
  const [, metric = '', selectorText, operator = '', value = ''] = match;
  const definition = METRICS_BY_NAME.get(metric);
  if (!definition) {
    const near = closestNames(metric, [...METRICS_BY_NAME.keys()]);
    const hint = near.length > 0 ? `did you mean ${near.join(' or ')}?` : `known: ${METRICS.map((m) => m.name).join(', ')}`;
    throw thresholdError(text, `unknown metric '${metric}'; ${hint}`);
  }
  const selector = selectorText === undefined ? undefined : parseSelector(text, selectorText);
  const selectorProblem = selector && (stormSelectorProblem(metric, definition.name, selector) ?? stageSelectorProblem(metric, definition.name, selector));
  if (selectorProblem) throw thresholdError(text, selectorProblem);
  return {
    expression: `${metric}${selector ? formatSelector(selector) : ''}${operator}${value}`,
    metric,
    ...(selector && { selector }),
    operator: operator as Operator,
    value: thresholdValue(text, value, definition.unit),
  };
}

/**
 * Refuses thresholds on a stage the run will not have (`stages`: how many --stages gives; undefined: none), as a
 * typo is refused, before anything runs, rather than failing after the run. For `run`, which knows its stages then;
 * a report read back without the stage (merge --threshold) fails the threshold instead.
 */
export function checkThresholdStages(thresholds: readonly Threshold[], stages: number | undefined): void {
  for (const threshold of thresholds) {
    const stage = threshold.selector?.stage;
    if (stage === undefined || (stages !== undefined && stage <= stages)) continue;
    throw thresholdError(
      threshold.expression,
      stages === undefined
        ? `{stage:${stage}} reads a stage of --stages, and the run has none`
        : `the run has ${stages} stage${stages === 1 ? '' : 's'} (--stages), numbered from 1: there is no stage ${stage}`,
    );
  }
}

/** A number as the threshold syntax reads it: plain decimals, never an exponent (`1e-7` is `0.0000001`). */
function plainNumber(n: number): string {
  if (!Number.isFinite(n)) throw new RangeError(`a threshold's value is a finite number, not ${n}`);
  if (Object.is(n, -0)) return '-0';
  const exponential = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(String(n));
  if (!exponential) return String(n);
  const [, sign = '', lead = '', rest = '', exponent = ''] = exponential;
  const digits = lead + rest;
  const point = 1 + Number(exponent);
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  return `${sign}${digits}${'0'.repeat(point - digits.length)}`;
}

/** The threshold's text, which parses back to it: the value in the metric's own unit, the selector canonical. */
export function formatThreshold(threshold: Omit<Threshold, 'expression'>): string {
  return `${threshold.metric}${threshold.selector ? formatSelector(threshold.selector) : ''}${threshold.operator}${plainNumber(threshold.value)}`;
}

function compare(actual: number, operator: Operator, expected: number): boolean {
  switch (operator) {
    case '<':
      return actual < expected;
    case '<=':
      return actual <= expected;
    case '>':
      return actual > expected;
    case '>=':
      return actual >= expected;
    case '==':
      return actual === expected;
  }
}

/** The threshold's figure in the report: over the part its selector names (a stage's own figure with `stage`). */
function actualOf(threshold: Threshold, report: Report): number | null {
  const metric = METRICS_BY_NAME.get(threshold.metric);
  const view = threshold.selector ? narrowReport(report, threshold.selector) : report;
  if (metric === undefined || view === null) return null;
  const stage = threshold.selector?.stage;
  return stage === undefined ? metric.read(view) : readStage(metric.name, stage, view);
}

/**
 * Pure: each threshold against the report's figures, a selector's from the part of the run it names; a missing
 * figure fails, and so does a selector naming a part the run did not have (a viewer group, a stage).
 */
export function evaluateThresholds(thresholds: readonly Threshold[], report: Report): ThresholdResult[] {
  return thresholds.map((threshold) => {
    const actual = actualOf(threshold, report);
    return {
      expression: threshold.expression,
      actual,
      passed: actual !== null && compare(actual, threshold.operator, threshold.value),
    };
  });
}
