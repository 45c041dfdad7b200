import type { CompareLine, CompareResult, CompareSide } from '../compare/compare-types.js';
import { changeText, formatValue, headline, intervalText, lineName, METHOD_WORDS, scopeSelector, scopeWords, verdictWord } from '../compare/line-text.js';
import type { Report } from '../report/report-types.js';
import { badge, dataTable, section, type Column } from './blocks.js';
import { compareCharts } from './compare-charts-markup.js';
import { comparePageData } from './compare-charts.js';
import { html, prose, type Html } from './escape.js';
import { instant, int, plural } from './format.js';
import { page, type HtmlAssets } from './page.js';

// `camera-load compare --html`: the comparison as one self-contained page, in the run page's shell, stylesheet and
// uPlot. The tables are plain HTML (readable without JavaScript and on paper); compare-page.js draws the charts.

/** What the run page's stylesheet has no need of: a banner for "same", neither good nor bad. */
const COMPARE_CSS = `
.verdict-neutral { background: #f8fafc; border-color: var(--line); border-left-color: var(--muted); }
.verdict-neutral .verdict-icon { background: var(--muted); }
.verdict-neutral .verdict-title { color: #334155; }
.compare-scope + .compare-scope { margin-top: 18px; }
.compare-charts { grid-template-columns: repeat(auto-fit, minmax(440px, 1fr)); }
.compare-scope h3 code { font-weight: 400; color: var(--muted); }
.line-method { display: block; color: var(--muted); font-size: 12px; max-width: 520px; }
.line-reasons { margin: 8px 0 0; padding-left: 18px; color: var(--muted); font-size: 12.5px; }
.sides td:first-child { font-weight: 600; }
`;

const BANNER = { worse: ['bad', '✕'], better: ['good', '✓'], same: ['neutral', '='] } as const;

/** Only the file's name: its folders may say more about the machine than the page should. */
export const fileName = (path: string): string => path.split(/[\\/]/).pop() ?? path;

function banner(result: CompareResult): Html {
  const [tone, icon] = BANNER[result.verdict];
  const [word = '', ...rest] = headline(result).split(': ');
  const details = [rest.join(': '), ...(result.verdict === 'worse' && result.better.length > 0 ? [`Better on: ${result.better.join('; ')}.`] : [])];
  return html`<section id="verdict" class="verdict verdict-${tone}" data-verdict="${result.verdict}">
<div class="verdict-icon" aria-hidden="true">${icon}</div>
<div class="verdict-body">
<h2 class="verdict-title">${word}</h2>
${details.map((line) => html`<p class="verdict-detail">${line}</p>`)}
</div></section>`;
}

function validity(side: CompareSide): Html {
  const marks = [
    side.valid ? badge('valid', 'good') : html`${badge('NOT VALID', 'bad')} ${side.invalidReason ?? ''}`,
    side.interrupted && badge('interrupted', 'warn'),
    side.partial && badge('partial merge', 'warn'),
  ];
  return html`${marks.filter(Boolean).map((mark) => html`${mark} `)}`;
}

function sidesSection(result: CompareResult): Html {
  const columns: Column<readonly [string, CompareSide]>[] = [
    { label: 'run', cell: ([label]) => label },
    { label: 'file', cell: ([, side]) => html`<code>${fileName(side.file)}</code>` },
    { label: 'started', cell: ([, side]) => instant(side.startedAt) },
    { label: 'streams', numeric: true, cell: ([, side]) => `${int(side.streams)} over ${plural(side.cameras, 'camera')}` },
    { label: 'report schema', numeric: true, cell: ([, side]) => side.schemaVersion },
    { label: 'validity', cell: ([, side]) => validity(side) },
  ];
  const noise =
    result.noiseOverride === null ? '' : html`<p class="muted">--noise ${(result.noiseOverride * 100).toFixed(1)}%: every figure's relative threshold.</p>`;
  return section(
    'runs',
    'The two runs',
    html`<div class="sides">${dataTable(columns, [['BASE', result.base] as const, ['NEW', result.new] as const])}</div>${noise}`,
  );
}

function warningsSection(result: CompareResult): Html | '' {
  if (result.warnings.length === 0) return '';
  return section(
    'warnings',
    'Warnings',
    html`<p>On every line: a verdict resting on these is never silent.</p><ul class="warnings">${result.warnings.map((w) => html`<li>${prose(w)}</li>`)}</ul>`,
  );
}

const pText = (line: CompareLine): string => (line.pValue === null ? '' : line.pValue < 0.001 ? '<0.001' : line.pValue.toFixed(3));

const VERDICT_TONE = { worse: 'bad', better: 'good', same: 'muted', 'not compared': 'muted' } as const;

/** The threshold a change had to pass, in the line's unit: "3% of the base or 0.05 fps, the larger". */
const thresholdText = (line: CompareLine): string =>
  `noise threshold: ${+(line.threshold.relative * 100).toFixed(1)}% of the base or ${formatValue(line.unit, line.threshold.absolute)} ${line.unit}, the larger`;

const LINE_COLUMNS: readonly Column<CompareLine>[] = [
  {
    label: 'figure',
    cell: (line) => html`<span title="${line.method}">${lineName(line)}</span><span class="line-method">${line.method}; ${thresholdText(line)}</span>`,
  },
  { label: 'base', numeric: true, cell: (line) => formatValue(line.unit, line.base) },
  { label: 'new', numeric: true, cell: (line) => formatValue(line.unit, line.new) },
  { label: 'change', numeric: true, cell: changeText },
  { label: '95% interval', numeric: true, cell: intervalText },
  { label: 'p', numeric: true, cell: pText },
  { label: 'verdict', cell: (line) => badge(verdictWord(line), VERDICT_TONE[line.verdict]) },
];

const rowClass = (line: CompareLine): string => (line.verdict === 'worse' ? 'row-bad' : line.verdict === 'not compared' ? 'row-skipped' : '');

/** Lines grouped by scope, in the order compareReports made them (the whole run first). */
function byScope(lines: readonly CompareLine[]): CompareLine[][] {
  const groups = new Map<string, CompareLine[]>();
  for (const line of lines) groups.set(scopeSelector(line.scope), [...(groups.get(scopeSelector(line.scope)) ?? []), line]);
  return [...groups.values()];
}

function scopeTable(lines: readonly CompareLine[]): Html {
  const first = lines[0] as CompareLine;
  const words = scopeWords(first.scope);
  const reasons = lines.filter((line) => line.reason !== undefined);
  return html`<div class="compare-scope" data-scope="${scopeSelector(first.scope)}"><h3>${words.charAt(0).toUpperCase()}${words.slice(1)} <code>${scopeSelector(first.scope)}</code></h3>
${dataTable(LINE_COLUMNS, lines, rowClass)}${reasons.length > 0 && html`<ul class="line-reasons">${reasons.map((line) => html`<li>${line.name}: not compared: ${line.reason}</li>`)}</ul>`}</div>`;
}

function linesSection(result: CompareResult): Html {
  return section(
    'figures',
    'Figure by figure',
    html`<p class="muted">Beneath each figure: how its change was decided, and the noise threshold it had to pass.</p>${byScope(result.lines).map(scopeTable)}`,
  );
}

const methodSection = (): Html => section('method', 'How each line was decided', html`<ul>${METHOD_WORDS.map((words) => html`<li>${words}</li>`)}</ul>`);

/** Pure: the comparison as one self-contained HTML page (no request leaves it). Stream URLs never reach it: only figures and file names. */
export function renderComparePage(result: CompareResult, base: Report, next: Report, assets: HtmlAssets): string {
  const data = comparePageData(base, next);
  const main = html`${banner(result)}
${sidesSection(result)}
${warningsSection(result)}
${linesSection(result)}
${compareCharts(data, result)}
${methodSection()}`;
  return page(
    {
      title: `camera-load compare: ${result.verdict.toUpperCase()}`,
      subtitle: `BASE ${fileName(result.base.file)} · NEW ${fileName(result.new.file)} · ${plural(result.lines.length, 'line')}`,
      nav: [
        ['verdict', 'Verdict'],
        ['runs', 'The two runs'],
        ...(result.warnings.length > 0 ? ([['warnings', 'Warnings']] as const) : []),
        ['figures', 'Figure by figure'],
        ['distributions', 'Distributions'],
        ['method', 'How each line was decided'],
      ],
      main,
      footer: `Generated by ${result.tool.name} ${result.tool.version}: BASE ${fileName(result.base.file)} against NEW ${fileName(result.new.file)}.`,
      data,
    },
    { ...assets, pageCss: `${assets.pageCss}\n${COMPARE_CSS}` },
  );
}
