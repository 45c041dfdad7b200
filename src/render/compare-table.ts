import type { CompareLine, CompareResult, CompareSide } from '../compare/compare-types.js';
import { changeText, formatValue, headline, intervalText, lineName, methodWords, scopeSelector, scopeWords, verdictWord } from '../compare/line-text.js';
import { printable } from '../text/printable.js';

// `camera-load compare` in the terminal: the headline, the two sides, one table per scope, how it was decided.

const COLUMNS = ['figure', 'base', 'new', 'change', '95% interval', 'p', 'verdict'] as const;

const pText = (line: CompareLine): string => (line.pValue === null ? '' : line.pValue < 0.001 ? '<0.001' : line.pValue.toFixed(3));

function cells(line: CompareLine): string[] {
  return [
    lineName(line),
    formatValue(line.unit, line.base),
    formatValue(line.unit, line.new),
    changeText(line),
    intervalText(line),
    pText(line),
    verdictWord(line),
  ];
}

function table(lines: readonly CompareLine[]): string[] {
  const rows = [[...COLUMNS], ...lines.map(cells)];
  const widths = COLUMNS.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length)));
  return rows.map((row) => `  ${row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ')}`.trimEnd());
}

function sideLine(label: string, side: CompareSide, kind: CompareResult['kind']): string {
  const state = [side.valid ? '' : 'NOT VALID', side.interrupted ? 'interrupted' : '', side.partial ? 'partial' : ''].filter(Boolean).join(', ');
  const allowing = side.cameras > 0 ? `, the cameras allowing ${side.cameras}` : '';
  const what = kind === 'max' ? `levels up to ${side.streams}${allowing}` : `${side.streams} streams over ${side.cameras} cameras`;
  return `  ${label}  ${printable(side.file)}: ${side.startedAt}, ${what}${state ? ` (${state})` : ''}`;
}

/** Lines grouped by scope, in the order compareReports made them (the whole run first). */
function byScope(lines: readonly CompareLine[]): CompareLine[][] {
  const groups = new Map<string, CompareLine[]>();
  for (const line of lines) {
    const key = scopeSelector(line.scope);
    groups.set(key, [...(groups.get(key) ?? []), line]);
  }
  return [...groups.values()];
}

export function renderCompare(result: CompareResult): string {
  const out = [`camera-load compare: ${headline(result)}`, sideLine('BASE', result.base, result.kind), sideLine('NEW ', result.new, result.kind)];
  if (result.noiseOverride !== null) out.push(`  --noise ${(result.noiseOverride * 100).toFixed(1)}%: every figure's relative threshold`);
  for (const lines of byScope(result.lines)) {
    const first = lines[0] as CompareLine;
    const heading =
      result.kind === 'max' ? 'The search' : `${scopeWords(first.scope)[0]?.toUpperCase()}${scopeWords(first.scope).slice(1)} ${scopeSelector(first.scope)}`;
    out.push('', heading.trimEnd(), ...table(lines));
    for (const line of lines) if (line.reason !== undefined) out.push(`  ${line.name}: not compared: ${line.reason}`);
  }
  out.push('', 'How each line was decided:', ...methodWords(result).map((words) => `  - ${words}`));
  if (result.warnings.length > 0) out.push('', 'Warnings (on every line):', ...result.warnings.map((w) => `  - ${printable(w, 400)}`));
  return `${out.join('\n')}\n`;
}
