import type { MaxReport } from '../capacity/max-report.js';
import type { Report } from '../report/report-types.js';
import { keyValueTable, section } from './blocks.js';
import { html, type Html } from './escape.js';
import { duration, instant } from './format.js';
import { fingerprintOf, hostOf, shardOf } from './older-reports.js';

/** A config value in one line: text as is, anything nested as compact JSON. */
function configValue(value: unknown): string {
  if (typeof value === 'string') return value;
  // An undefined value (a report still in memory) gives undefined here, which the page writes as nothing.
  return JSON.stringify(value);
}

/** What ran, where and when, then every option it ran with (secrets already redacted by describe-options). */
export function configSection(report: Report | MaxReport): Html {
  const run = report.command === 'run' ? report : undefined;
  const seconds = (Date.parse(report.endedAt) - Date.parse(report.startedAt)) / 1000;
  const about: [string, string][] = [
    ['Tool', `${report.tool.name} ${report.tool.version}`],
    ['Command', report.command],
    ['Started', instant(report.startedAt)],
    ['Ended', `${instant(report.endedAt)}${Number.isFinite(seconds) ? ` (${duration(seconds)})` : ''}`],
  ];
  if (run) {
    const shard = shardOf(run);
    about.push(['Host', hostOf(run) ?? (run.shards ? 'several (see Shards)' : '—')]);
    if (shard) about.push(['Shard', `${shard.index} of ${shard.count}`]);
    about.push(['Plan fingerprint', fingerprintOf(run) ?? '—']);
  }
  about.push(['Report schema', `version ${report.schemaVersion}`]);
  const config = Object.entries(report.config).map(([key, value]): [string, Html] => [key, html`<code>${configValue(value)}</code>`]);
  return section(
    'configuration',
    'Run and configuration',
    html`<div class="details-grid">${keyValueTable(about)}${config.length > 0 ? keyValueTable(config, 'kv config') : html`<p class="muted">No configuration recorded.</p>`}</div>`,
  );
}
