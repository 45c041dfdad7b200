import { spawnSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { StormWindow } from '../../src/metrics/storm-window.js';
import { Scraper } from '../../src/prometheus/families.js';
import { LiveTally } from '../../src/prometheus/tally.js';
import type { Runner } from '../../src/run/runner.js';
import type { Storm } from '../../src/stages.js';
import { parseMetricsText as parse } from '../helpers/metrics-text.js';

// --storm-at on the live endpoint (issue 30): the storms struck so far and the dropped viewers still without a frame,
// read off the runner's storm windows at each scrape; 0 before the first storm, no family at all in a run without storms.

const STORMS: Storm[] = [
  { atMs: 1_000, immediate: false },
  { atMs: 2_000, immediate: true },
];
const STORM_FAMILIES = ['camera_load_storms_total', 'camera_load_storm_recovering_viewers'];
const PROMTOOL = '/usr/bin/promtool';

/** A runner as the endpoint sees it: its storm windows (none until it runs), as its snapshot hands them out. */
class FakeRunner extends EventEmitter {
  windows: StormWindow[] | undefined;
  snapshot(): { streams: []; elapsedMs: number; storms?: StormWindow[] } {
    return { streams: [], elapsedMs: 0, ...(this.windows ? { storms: this.windows } : {}) };
  }
}

function endpoint(command: 'run' | 'max' = 'run'): { live: LiveTally; text: () => string } {
  const live = new LiveTally(false);
  const scraper = new Scraper(live, { version: '1', command }, false);
  return { live, text: () => scraper.text() };
}

const families = (text: string): string[] => [...text.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1] ?? '');
const stormSeries = (text: string): [string, number][] => [...parse(text)].filter(([name]) => name.startsWith('camera_load_storm'));

/** A storm striking `viewers` open streams at `atMs`. */
function strike(window: StormWindow, viewers: number): void {
  window.struckAtMs = window.storm.atMs;
  window.viewers = viewers;
}

describe('the live endpoint of a run with storms', () => {
  const { live, text } = endpoint();
  const runner = new FakeRunner();
  live.follow(runner as unknown as Runner, 4, undefined, undefined, STORMS);

  it('serves the storm families from the first scrape, at 0 before the run', () => {
    expect(families(text()).filter((name) => name.startsWith('camera_load_storm'))).toEqual(STORM_FAMILIES);
    expect(stormSeries(text())).toEqual([
      ['camera_load_storms_total', 0],
      ['camera_load_storm_recovering_viewers', 0],
    ]);
  });

  it('counts each storm as it strikes, and its dropped viewers until each has a frame again', () => {
    const [first, second] = STORMS.map((storm) => new StormWindow(storm)) as [StormWindow, StormWindow];
    runner.windows = [first, second];
    runner.emit('start');
    expect(stormSeries(text())).toEqual([
      ['camera_load_storms_total', 0],
      ['camera_load_storm_recovering_viewers', 0],
    ]);
    strike(first, 4);
    expect(stormSeries(text())).toEqual([
      ['camera_load_storms_total', 1],
      ['camera_load_storm_recovering_viewers', 4],
    ]);
    first.recovered(1_300);
    first.recovered(1_400);
    first.recovered(1_500);
    expect(stormSeries(text())).toEqual([
      ['camera_load_storms_total', 1],
      ['camera_load_storm_recovering_viewers', 1],
    ]);
    // The second storm drops the three back; the fourth, still reconnecting, is left alone.
    strike(second, 3);
    second.recovered(2_040);
    expect(stormSeries(text())).toEqual([
      ['camera_load_storms_total', 2],
      ['camera_load_storm_recovering_viewers', 1 + 2],
    ]);
  });

  it.skipIf(!existsSync(PROMTOOL))('promtool check metrics passes, before the start and during the run', () => {
    const fresh = endpoint();
    fresh.live.follow(new FakeRunner() as unknown as Runner, 4, undefined, undefined, STORMS);
    for (const exposition of [fresh.text(), text()]) {
      const result = spawnSync(PROMTOOL, ['check', 'metrics'], { input: exposition, encoding: 'utf8', timeout: 10_000 });
      expect(`${result.stdout}${result.stderr}`).toBe('');
      expect(result.status).toBe(0);
    }
  });
});

describe('the live endpoint without storms', () => {
  it('a run without them, and max (its trials have none), serve no storm family', () => {
    for (const command of ['run', 'max'] as const) {
      const { live, text } = endpoint(command);
      const runner = new FakeRunner();
      live.follow(runner as unknown as Runner, 4);
      runner.emit('start');
      expect(families(text()).filter((name) => name.startsWith('camera_load_storm'))).toEqual([]);
    }
  });
});
