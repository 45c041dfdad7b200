import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stageSpans } from '../../src/stages.js';
import { describe, expect, it } from 'vitest';
import { StreamStats } from '../../src/metrics/stream-stats.js';
import { Scraper } from '../../src/prometheus/families.js';
import { LiveTally } from '../../src/prometheus/tally.js';
import type { Runner } from '../../src/run/runner.js';

// The Grafana dashboard and docs/prometheus.md name the exporter's metrics: each name must exist, every query must
// parse (promtool), and the page's alert rule must load.

const page = readFileSync(new URL('../../docs/prometheus.md', import.meta.url), 'utf8');
const dashboard = JSON.parse(readFileSync(new URL('../../deploy/grafana/camera-load.json', import.meta.url), 'utf8')) as {
  panels: { title: string; targets: { expr: string }[] }[];
};
const expressions = dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr));
const PROMTOOL = '/usr/bin/promtool';
const havePromtool = existsSync(PROMTOOL);
if (!havePromtool) console.warn(`SKIPPED: the PromQL checks of the dashboard and docs/prometheus.md: ${PROMTOOL} is missing (Debian package prometheus)`);

/** Every metric family the exporter serves, per camera, per viewer group, with stages and storms and for max included. */
function exportedFamilies(): Set<string> {
  const live = new LiveTally(true);
  const scraper = new Scraper(live, { version: '1', command: 'max' }, true);
  const s = new StreamStats(0, 'cam', 'cam', 'http://127.0.0.1/');
  s.error('STALL', 'test', 1);
  // A run with viewer groups, stages and storms, so that their families are served too.
  live.follow(
    { snapshot: () => ({ streams: [s] }), on: () => undefined } as unknown as Runner,
    1,
    { behaviours: [{ group: 'slow', share: 0.5, bytesPerSecond: 1_000 }], leadInMs: 1_000 },
    stageSpans([{ durationMs: 1_000, target: 1 }]),
    [{ atMs: 500, immediate: false }],
  );
  const text = scraper.text();
  return new Set([...text.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1] ?? ''));
}

const seriesNames = (text: string): string[] => [...new Set([...text.matchAll(/\bcamera_load_[a-z_0-9]+/g)].map((m) => m[0]))];
const family = (name: string): string => name.replace(/_(bucket|sum|count)$/, '');

function promtool(args: string[], file: string, text: string): string | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'camera-load-promtool-'));
  try {
    writeFileSync(join(dir, file), text);
    const result = spawnSync(PROMTOOL, [...args, join(dir, file)], { encoding: 'utf8', timeout: 10_000 });
    return result.status === 0 ? undefined : `${result.stdout}${result.stderr}`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the dashboard and docs/prometheus.md against the exporter', () => {
  it('every metric they name is exported, and docs/prometheus.md lists every one exported', () => {
    const families = exportedFamilies();
    expect(
      seriesNames(expressions.join('\n'))
        .map(family)
        .filter((n) => !families.has(n)),
    ).toEqual([]);
    expect(page).toContain('## The metrics');
    // The page abbreviates the per-camera names as `…_frames_total`: those are checked by their full names' tails.
    const named = seriesNames(page).map(family);
    expect(named.filter((n) => !families.has(n))).toEqual([]);
    for (const name of families) {
      const tail = name.replace(/^camera_load_camera_/, '…_');
      expect(page.includes(name) || page.includes(tail), name).toBe(true);
    }
  });

  it('the dashboard charts what the issue asks for, across shards', () => {
    const all = expressions.join('\n');
    for (const wanted of [
      'camera_load_streams_open',
      'camera_load_frames_total',
      'camera_load_received_bytes_total',
      'camera_load_connection_ends_total',
      'camera_load_client_cpu_ratio',
    ]) {
      expect(all).toContain(wanted);
    }
    expect(all).toContain('histogram_quantile(0.95, sum by (le) (rate(camera_load_frame_gap_seconds_bucket');
  });

  it.skipIf(!havePromtool)('every dashboard query parses (as recording rules, promtool check rules)', () => {
    const rules = expressions
      .map((expr, i) => `      - record: camera_load:dashboard_${i}\n        expr: ${JSON.stringify(expr.replaceAll('$job', '.*'))}\n`)
      .join('');
    expect(promtool(['check', 'rules'], 'dashboard.yml', `groups:\n  - name: dashboard\n    rules:\n${rules}`)).toBeUndefined();
  });

  it.skipIf(!havePromtool)("the page's alert rule loads (promtool check rules)", () => {
    const rule = /## An example alert rule\n[\s\S]*?```yaml\n([\s\S]*?)```/.exec(page)?.[1] ?? '';
    expect(rule).toContain('alert:');
    expect(promtool(['check', 'rules'], 'alerts.yml', rule)).toBeUndefined();
  });
});
