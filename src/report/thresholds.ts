import { UsageError } from '../errors.js';
import { closestNames } from '../text/did-you-mean.js';
import type { Report, ThresholdResult } from './report-types.js';
import { METRICS, METRICS_BY_NAME } from './threshold-metrics.js';

export type Operator = '<' | '<=' | '>' | '>=' | '==';

export interface Threshold {
  expression: string;
  metric: string;
  operator: Operator;
  value: number;
}

const SYNTAX = /^\s*([a-zA-Z][a-zA-Z0-9_.]*)\s*(<=|>=|==|<|>)\s*([^\s<>=]\S*)\s*$/;
const NUMBER = /^(-?(?:\d+(?:\.\d+)?|\.\d+))([a-z]*)$/;
/** Units a value may carry, by the unit of its metric: `delay.p95<500ms` and `<0.5s` say the same. */
const VALUE_UNITS: Readonly<Record<string, Readonly<Record<string, number>>>> = { ms: { ms: 1, s: 1000 } };

/** The value in the metric's own unit; a unit that does not fit the metric is an error, never a guess. */
function thresholdValue(text: string, value: string, metricUnit: string): number {
  const match = NUMBER.exec(value);
  if (!match) throw new UsageError(`--threshold '${text}': '${value}' is not a number`);
  const [, number = '', unit = ''] = match;
  if (unit === '') return Number(number);
  const factor = VALUE_UNITS[metricUnit]?.[unit];
  if (factor === undefined) {
    const allowed = Object.keys(VALUE_UNITS[metricUnit] ?? {});
    throw new UsageError(
      `--threshold '${text}': '${unit}' is not a unit of this metric (${metricUnit}${allowed.length > 0 ? `; use ${allowed.join(' or ')}` : ': give a plain number'})`,
    );
  }
  return Number(number) * factor;
}

/** Parses `metric<op>value` (e.g. `fps.avg>=4`, `delay.p95<500ms`); a typo is a usage error, never a silent pass. */
export function parseThreshold(text: string): Threshold {
  const match = SYNTAX.exec(text);
  if (!match) {
    throw new UsageError(`--threshold '${text}': expected METRIC OP VALUE, e.g. 'fps.avg>=4' (operators < <= > >= ==)`);
  }
  const [, metric = '', operator = '', value = ''] = match;
  const definition = METRICS_BY_NAME.get(metric);
  if (!definition) {
    const near = closestNames(metric, [...METRICS_BY_NAME.keys()]);
    const hint = near.length > 0 ? `did you mean ${near.join(' or ')}?` : `known: ${METRICS.map((m) => m.name).join(', ')}`;
    throw new UsageError(`--threshold '${text}': unknown metric '${metric}'; ${hint}`);
  }
  return { expression: `${metric}${operator}${value}`, metric, operator: operator as Operator, value: thresholdValue(text, value, definition.unit) };
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

/** Pure: each threshold against the report's figures; a missing figure fails. */
export function evaluateThresholds(thresholds: readonly Threshold[], report: Report): ThresholdResult[] {
  return thresholds.map((threshold) => {
    const metric = METRICS_BY_NAME.get(threshold.metric);
    const actual = metric ? metric.read(report) : null;
    return {
      expression: threshold.expression,
      actual,
      passed: actual !== null && compare(actual, threshold.operator, threshold.value),
    };
  });
}
