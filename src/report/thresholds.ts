import { UsageError } from '../errors.js';
import type { Report, ThresholdResult } from './report-types.js';
import { METRICS_BY_NAME } from './threshold-metrics.js';

export type Operator = '<' | '<=' | '>' | '>=' | '==';

export interface Threshold {
  expression: string;
  metric: string;
  operator: Operator;
  value: number;
}


const SYNTAX = /^\s*([a-z][a-z0-9_.]*)\s*(<=|>=|==|<|>)\s*([^\s<>=]\S*)\s*$/;
const NUMBER = /^-?(\d+(\.\d+)?|\.\d+)$/;

/** Parses `metric<op>value` (e.g. `fps.avg>=4`); a typo is a usage error, never a silent pass. */
export function parseThreshold(text: string): Threshold {
  const match = SYNTAX.exec(text);
  if (!match) {
    throw new UsageError(`--threshold '${text}': expected METRIC OP VALUE, e.g. 'fps.avg>=4' (operators < <= > >= ==)`);
  }
  const [, metric = '', operator = '', value = ''] = match;
  if (!METRICS_BY_NAME.has(metric)) {
    throw new UsageError(`--threshold '${text}': unknown metric '${metric}'; known: ${[...METRICS_BY_NAME.keys()].join(', ')}`);
  }
  if (!NUMBER.test(value)) throw new UsageError(`--threshold '${text}': '${value}' is not a number`);
  return { expression: `${metric}${operator}${value}`, metric, operator: operator as Operator, value: Number(value) };
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
