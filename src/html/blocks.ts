import { html, type Html, type HtmlPart } from './escape.js';

// The page's building blocks; classes are styled in assets/html/report-page.css.

export function section(id: string, title: string, body: HtmlPart): Html {
  return html`<section id="${id}" class="section"><h2>${title}</h2>${body}</section>`;
}

/**
 * A figure in a card: the value large, its unit beside it, a line of context below. A long value ("13,746,395",
 * "9,911 of 10,000") is set smaller so that it stays on one line in a card of the grid; were a card narrower still,
 * the unit moves below the value rather than running past the card's edge.
 */
export function metricCard(label: string, value: string, unit: string, note?: string, tone?: 'bad' | 'warn'): Html {
  const length = value.length + unit.length * 0.55;
  const size = length > 15 ? ' metric-value-s' : length > 11 ? ' metric-value-m' : '';
  return html`<div class="metric${tone ? ` metric-${tone}` : ''}"><div class="metric-label">${label}</div><div class="metric-value${size}"><span class="metric-figure">${value}</span>${unit ? html`<span class="metric-unit">${unit}</span>` : ''}</div>${note ? html`<div class="metric-note">${note}</div>` : ''}</div>`;
}

/** Label and value rows; values are text unless given as markup. */
export function keyValueTable(pairs: readonly (readonly [string, HtmlPart])[], className = 'kv'): Html {
  return html`<table class="${className}"><tbody>${pairs.map(([label, value]) => html`<tr><th scope="row">${label}</th><td>${value}</td></tr>`)}</tbody></table>`;
}

export interface Column<T> {
  label: string;
  numeric?: boolean;
  cell: (row: T) => HtmlPart;
}

export function dataTable<T>(columns: readonly Column<T>[], rows: readonly T[], rowClass?: (row: T) => string): Html {
  const cls = (numeric: boolean | undefined): string => (numeric ? 'num' : '');
  return html`<div class="table-wrap"><table class="data"><thead><tr>${columns.map((c) => html`<th class="${cls(c.numeric)}">${c.label}</th>`)}</tr></thead><tbody>${rows.map(
    (row) => html`<tr class="${rowClass?.(row) ?? ''}">${columns.map((c) => html`<td class="${cls(c.numeric)}">${c.cell(row)}</td>`)}</tr>`,
  )}</tbody></table></div>`;
}

export function badge(text: string, tone: 'good' | 'bad' | 'warn' | 'muted'): Html {
  return html`<span class="badge badge-${tone}">${text}</span>`;
}

export function noData(reason: string): Html {
  return html`<p class="no-data">${reason}</p>`;
}
