import type { CompareLine, CompareResult } from '../compare/compare-types.js';
import { changeText, formatValue, headline, intervalText, lineName, methodWords, scopeSelector, verdictWord } from '../compare/line-text.js';
import { markdownCell, printable, xmlEscape as escape } from '../text/printable.js';

// `camera-load compare` for CI: JUnit with one test case per figure (a worse one fails), and the GitHub job
// summary's Markdown table, so a pull request shows the comparison.

const caseName = (line: CompareLine): string => `${lineName(line)}${line.scope.viewers || line.scope.stage ? ` ${scopeSelector(line.scope)}` : ''}`;

function lineFacts(line: CompareLine): string {
  return [
    `base ${formatValue(line.unit, line.base)}, new ${formatValue(line.unit, line.new)}, change ${changeText(line)}, 95% interval ${intervalText(line)}`,
    `samples: ${line.samples.base} base, ${line.samples.new} new`,
    `noise threshold: ${(line.threshold.relative * 100).toFixed(1)}% of the base, at least ${formatValue(line.unit, line.threshold.absolute)} ${line.unit}`,
    `decided by: ${line.method}`,
    ...(line.reason === undefined ? [] : [`not compared: ${line.reason}`]),
    ...line.warnings.map((w) => `warning: ${w}`),
  ].join('\n');
}

function junitCase(line: CompareLine): string {
  const open = `    <testcase classname="camera-load.compare" name="${escape(caseName(line))}" time="0">`;
  const out = `      <system-out>${escape(printable(lineFacts(line), 4_000))}</system-out>`;
  if (line.verdict === 'not compared') return `${open}\n      <skipped message="${escape(line.reason ?? '')}"/>\n${out}\n    </testcase>`;
  if (line.verdict !== 'worse') return `${open}\n${out}\n    </testcase>`;
  const message = `worse: ${formatValue(line.unit, line.base)} → ${formatValue(line.unit, line.new)} ${line.unit} (${changeText(line)})`;
  return `${open}\n      <failure message="${escape(message)}" type="worse"/>\n${out}\n    </testcase>`;
}

/** The comparison as one JUnit suite: `run --baseline` adds it to the run's own file. */
export function compareSuite(result: CompareResult): string {
  const count = (verdict: string): number => result.lines.filter((l) => l.verdict === verdict).length;
  const name = `camera-load compare: ${escape(printable(result.base.file))} → ${escape(printable(result.new.file))}`;
  return [
    `  <testsuite name="${name}" tests="${result.lines.length}" failures="${count('worse')}" errors="0" skipped="${count('not compared')}" time="0">`,
    ...result.lines.map(junitCase),
    '  </testsuite>',
  ].join('\n');
}

export function renderCompareJunit(result: CompareResult): string {
  const failures = result.lines.filter((l) => l.verdict === 'worse').length;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="camera-load compare" tests="${result.lines.length}" failures="${failures}">`,
    compareSuite(result),
    '</testsuites>',
    '',
  ].join('\n');
}

const MARK: Record<string, string> = { worse: '🔴', better: '🟢', same: '⚪', 'not compared': '—' };

export function renderCompareSummary(result: CompareResult): string {
  const rows = result.lines.map((line) =>
    // The figures are our own digits and signs: only the name is text to escape.
    [
      markdownCell(caseName(line)),
      formatValue(line.unit, line.base),
      formatValue(line.unit, line.new),
      changeText(line),
      intervalText(line),
      `${MARK[line.verdict]} ${verdictWord(line)}`,
    ].join(' | '),
  );
  return [
    `## camera-load compare: ${markdownCell(headline(result), 1_000)}`,
    '',
    `BASE \`${markdownCell(result.base.file)}\` (${result.base.streams} streams) → NEW \`${markdownCell(result.new.file)}\` (${result.new.streams} streams)`,
    '',
    '| figure | base | new | change | 95% interval | verdict |',
    '|---|---:|---:|---:|---:|---|',
    ...rows.map((row) => `| ${row} |`),
    '',
    ...result.warnings.map((w) => `> ⚠️ ${markdownCell(w, 1_000)}`),
    ...(result.warnings.length > 0 ? [''] : []),
    ...methodWords(result).map((words) => `- ${words}`),
    '',
  ].join('\n');
}
