import { spawnSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Scraper } from '../../src/prometheus/families.js';
import { LiveTally } from '../../src/prometheus/tally.js';
import type { Runner } from '../../src/run/runner.js';
import { stageSpans, type Stage } from '../../src/stages.js';
import { parseMetricsText as parse } from '../helpers/metrics-text.js';

// --stages on the live endpoint (issue 30): the stage under way and the target now, read off the runner's clock at
// each scrape; nothing before the run starts, and no family at all in a run without stages.

const STAGES: Stage[] = [
  { durationMs: 1_000, target: 4 },
  { durationMs: 2_000, target: 4 },
  { durationMs: 1_000, target: 0 },
];
const STAGE_FAMILIES = ['camera_load_stage', 'camera_load_stage_info', 'camera_load_stage_target_streams'];
const PROMTOOL = '/usr/bin/promtool';

/** A runner as the endpoint sees it: its streams (none here), its clock and its events. */
class FakeRunner extends EventEmitter {
  elapsedMs = 0;
  snapshot(): { streams: []; elapsedMs: number } {
    return { streams: [], elapsedMs: this.elapsedMs };
  }
}

function endpoint(command: 'run' | 'max' = 'run'): { live: LiveTally; text: () => string } {
  const live = new LiveTally(false);
  const scraper = new Scraper(live, { version: '1', command }, false);
  return { live, text: () => scraper.text() };
}

const families = (text: string): string[] => [...text.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1] ?? '');
const stageSeries = (text: string): [string, number][] => [...parse(text)].filter(([name]) => name.startsWith('camera_load_stage'));

describe('the live endpoint of a run with stages', () => {
  const { live, text } = endpoint();
  const runner = new FakeRunner();
  live.follow(runner as unknown as Runner, 4, undefined, stageSpans(STAGES));

  it('serves the stage families from the first scrape, with no sample until the run starts', () => {
    expect(families(text()).filter((name) => name.startsWith('camera_load_stage'))).toEqual(STAGE_FAMILIES);
    expect(stageSeries(text())).toEqual([]);
  });

  it('then the stage under way, its schedule as labels, and the target now, interpolated through a ramp', () => {
    runner.emit('start');
    const at = (ms: number): [string, number][] => {
      runner.elapsedMs = ms;
      return stageSeries(text());
    };
    expect(at(250)).toEqual([
      ['camera_load_stage', 1],
      ['camera_load_stage_info{stage="1",target_from="0",target_to="4"}', 1],
      ['camera_load_stage_target_streams', 1],
    ]);
    expect(at(2_000)).toEqual([
      ['camera_load_stage', 2],
      ['camera_load_stage_info{stage="2",target_from="4",target_to="4"}', 1],
      ['camera_load_stage_target_streams', 4],
    ]);
    expect(at(3_500)).toEqual([
      ['camera_load_stage', 3],
      ['camera_load_stage_info{stage="3",target_from="4",target_to="0"}', 1],
      ['camera_load_stage_target_streams', 2],
    ]);
  });

  it('once the run has ended (its clock stops at the stages` end), the last stage and its last target', () => {
    runner.elapsedMs = 4_000;
    expect(stageSeries(text())).toEqual([
      ['camera_load_stage', 3],
      ['camera_load_stage_info{stage="3",target_from="4",target_to="0"}', 1],
      ['camera_load_stage_target_streams', 0],
    ]);
  });

  it.skipIf(!existsSync(PROMTOOL))('promtool check metrics passes, before the start and during the run', () => {
    const fresh = endpoint();
    const waiting = new FakeRunner();
    fresh.live.follow(waiting as unknown as Runner, 4, undefined, stageSpans(STAGES));
    for (const exposition of [fresh.text(), text()]) {
      const result = spawnSync(PROMTOOL, ['check', 'metrics'], { input: exposition, encoding: 'utf8', timeout: 10_000 });
      expect(`${result.stdout}${result.stderr}`).toBe('');
      expect(result.status).toBe(0);
    }
  });
});

describe('the live endpoint without stages', () => {
  it('a run without them, and max (its trials have none), serve no stage family', () => {
    for (const command of ['run', 'max'] as const) {
      const { live, text } = endpoint(command);
      const runner = new FakeRunner();
      live.follow(runner as unknown as Runner, 4);
      runner.emit('start');
      expect(families(text()).filter((name) => name.startsWith('camera_load_stage'))).toEqual([]);
    }
  });

  it('a runner followed after a staged one drops the stages with it', () => {
    const { live, text } = endpoint();
    const first = new FakeRunner();
    live.follow(first as unknown as Runner, 4, undefined, stageSpans(STAGES));
    first.emit('start');
    expect(families(text())).toContain('camera_load_stage');
    live.follow(new FakeRunner() as unknown as Runner, 4);
    expect(families(text())).not.toContain('camera_load_stage');
  });
});
