import type { MaxReport } from '../max/max-report.js';
import type { Report } from '../report/report-types.js';
import { badge, dataTable, keyValueTable, section } from './blocks.js';
import { html, type Html } from './escape.js';
import { duration, instant } from './format.js';
import { fingerprintOf, hostOf, settingsDifferingOf, shardConfigOf, shardOf } from './older-reports.js';

/** A config value in one line: text as is, anything nested as compact JSON. */
function configValue(value: unknown): string {
  if (typeof value === 'string') return value;
  // An undefined value (a report still in memory) gives undefined here, which the page writes as nothing.
  return JSON.stringify(value);
}

const configTable = (config: Record<string, unknown>): Html =>
  keyValueTable(
    Object.entries(config).map(([key, value]): [string, Html] => [key, html`<code>${configValue(value)}</code>`]),
    'kv config',
  );

function aboutTable(report: Report | MaxReport): Html {
  const run = report.command === 'run' ? report : undefined;
  const seconds = (Date.parse(report.endedAt) - Date.parse(report.startedAt)) / 1000;
  const about: [string, string][] = [
    ['Tool', `${report.tool.name} ${report.tool.version}`],
    ['Command', run?.shards ? `merge of ${run.shards.length} shard reports (run)` : report.command],
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
  return keyValueTable(about);
}

/** What ran, where and when, then every option it ran with (secrets already redacted by describe-options). */
export function configSection(report: Report | MaxReport): Html {
  const merged = report.command === 'run' && report.shards ? report : undefined;
  const config = Object.keys(report.config).length > 0 ? configTable(report.config) : html`<p class="muted">No configuration recorded.</p>`;
  return section(
    'configuration',
    'Run and configuration',
    html`<div class="details-grid">${aboutTable(report)}${merged ? html`<div><h3>Common to every shard</h3><p class="muted">thresholds: the ones this merge checked.</p>${config}</div>` : config}</div>${merged ? perShardSettings(merged) : ''}`,
  );
}

/**
 * A merge's settings of each shard beside each other: its share, its output paths and thresholds, and any setting
 * the shards did not run alike, said so rather than shown as shard 1's.
 */
function perShardSettings(report: Report): Html {
  const shards = report.shards ?? [];
  const configs = shards.map(shardConfigOf);
  if (configs.some((config) => config === null)) {
    return html`<p class="note note-warn">Merged by an older camera-load, which kept shard 1's settings as the test's: the output paths and thresholds above are shard 1's. The thresholds this merge checked are under Thresholds.</p>`;
  }
  const differing = settingsDifferingOf(report);
  const keys = [...new Set(configs.flatMap((config) => Object.keys(config ?? {})))];
  const differs =
    differing.length > 0
      ? html`<p class="note note-warn">The shards did not run alike: ${differing.join(', ')} ${differing.length === 1 ? 'differs' : 'differ'} between them (each shard's value below).</p>`
      : '';
  return html`<h3>Each shard's own</h3><p class="muted">Its share of the test, the files it wrote and the thresholds it judged itself by${differing.length > 0 ? ', and the settings the shards did not run alike' : ''}.</p>${differs}${dataTable<string>(
    [
      { label: 'Setting', cell: (key) => (differing.includes(key) ? html`${key} ${badge('differs', 'warn')}` : key) },
      ...shards.map((shard, i) => ({ label: `Shard ${shard.index}`, cell: (key: string) => html`<code>${configValue(configs[i]?.[key] ?? null)}</code>` })),
    ],
    keys,
  )}`;
}
