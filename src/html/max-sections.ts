import type { MaxReport, TrialRecord } from '../max/max-report.js';
import { badge, dataTable, metricCard, section } from './blocks.js';
import { NO_SCRIPT, trialsChart } from './charts-markup.js';
import { html, type Html } from './escape.js';
import { fixed, int, num } from './format.js';

export function maxKeyMetrics(report: MaxReport): Html {
  const r = report.result;
  const levels = report.trials.map((t) => t.level);
  // The answer is a lower bound when the search could go no higher: this machine, or the cameras, were the limit.
  const bound = r.boundedByClient ? 'a lower bound (client limit)' : r.boundedByCameras === true ? 'a lower bound (every stream the cameras allow)' : undefined;
  const range = levels.length > 0 ? `from ${Math.min(...levels)} to ${Math.max(...levels)} streams` : 'none finished';
  return html`<section id="key-metrics" class="section"><h2>Key metrics</h2><div class="metrics">
${metricCard('Maximum stable streams', r.maxStableStreams === null ? 'none' : `${bound === undefined ? '' : '≥ '}${int(r.maxStableStreams)}`, r.maxStableStreams === null ? '' : 'streams', bound ?? 'highest stable level', r.maxStableStreams === null ? 'bad' : undefined)}
${metricCard('fps per stream at the maximum', r.fpsPerStreamAtMax === null ? 'n/a' : fixed(r.fpsPerStreamAtMax, 2), r.fpsPerStreamAtMax === null ? '' : 'fps', 'steady part of the trial')}
${metricCard('Reference fps per stream', r.referenceFpsPerStream === null ? 'n/a' : fixed(r.referenceFpsPerStream, 2), r.referenceFpsPerStream === null ? '' : 'fps', 'at the lowest stable level')}
${metricCard('Trials', int(r.trials), r.trials === 1 ? 'trial' : 'trials', range)}
</div></section>`;
}

function validity(t: TrialRecord): Html {
  return t.summary.valid ? badge('valid', 'good') : html`${badge('not valid', 'bad')} ${t.summary.invalidReason ?? 'client saturated'}`;
}

export function trialsSection(report: MaxReport): Html {
  const trials = [...report.trials].sort((a, b) => a.index - b.index);
  const table = dataTable<TrialRecord>(
    [
      { label: 'Trial', numeric: true, cell: (t) => t.index },
      { label: 'Streams', numeric: true, cell: (t) => int(t.level) },
      { label: 'Opened', numeric: true, cell: (t) => int(t.opened) },
      { label: 'Verdict', cell: (t) => (t.verdict.stable ? badge('stable', 'good') : html`${badge('unstable', 'bad')} ${t.verdict.reasons.join('; ')}`) },
      { label: 'fps per stream', numeric: true, cell: (t) => `${fixed(t.fpsPerStream, 2)} fps` },
      { label: 'Floor', numeric: true, cell: (t) => (t.verdict.minFps === undefined ? '—' : `${num(t.verdict.minFps)} fps`) },
      { label: 'Reconnections', numeric: true, cell: (t) => int(t.reconnections) },
      { label: 'Stalls', numeric: true, cell: (t) => int(t.stalls) },
      { label: 'Validity', cell: validity },
    ],
    trials,
    (t) => (t.verdict.stable ? '' : 'row-bad'),
  );
  return section(
    'trials',
    'Trials',
    html`${NO_SCRIPT}<div class="charts-time">${trialsChart(trials.length)}</div>${trials.length > 0 ? table : html`<p class="no-data">No trial finished.</p>`}`,
  );
}
