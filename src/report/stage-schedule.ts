import type { StageReport } from './stage-types.js';

// A stage's schedule in words, one way for every output that shows it (the HTML page, the job summary, JUnit).

/** The stage table is the open model's (`--arrival-rate`): its stages have a rate, and arrivals it can drop. */
export const isOpenModel = (stages: readonly StageReport[] | undefined): boolean => stages?.some((s) => s.arrivalsPerSecond !== undefined) === true;

const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const decimal = (n: number): string => n.toLocaleString('en-US', { maximumFractionDigits: 2 });

/** "0 → 100", or "100 (held)"; in the open model, its rate and the concurrency Little's law expects: "20/s (≈ 600 open)". */
export function stageTarget({ target: { from, to }, arrivalsPerSecond }: StageReport): string {
  if (arrivalsPerSecond !== undefined) return `${decimal(arrivalsPerSecond)}/s (≈ ${int(to)} open)`;
  return from === to ? `${int(to)} (held)` : `${int(from)} → ${int(to)}`;
}
