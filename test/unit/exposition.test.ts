import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { exposition, histogram, labelled, single, summary } from '../../src/prometheus/exposition.js';

const PROMTOOL = '/usr/bin/promtool';

/** promtool's complaints about a scrape's text (it reads stdin), or undefined. */
function promtoolCheck(text: string): string | undefined {
  const result = spawnSync(PROMTOOL, ['check', 'metrics'], { input: text, encoding: 'utf8', timeout: 10_000 });
  return result.status === 0 ? undefined : `${result.stdout}${result.stderr}`;
}

// A camera's id is data from the camera API: quotes, backslashes and line breaks must stay inside their label.
const HOSTILE = 'cam "7" \\ east\nwing';

const text = exposition([
  single('counter', 'x_frames_total', 'Frames\nreceived \\ all', 12),
  labelled('counter', 'x_camera_frames_total', 'Frames, per camera', [[{ camera: HOSTILE }, 3]]),
  single('gauge', 'x_cpu_ratio', 'No sample yet', undefined),
  single('gauge', 'x_delay_seconds', 'Not a number', Number.NaN),
  histogram('x_gap_seconds', 'Gaps', { bounds: [0.1, 1], counts: [2, 3, 1], sum: 4.5, count: 6 }),
  summary('x_delay_sum_seconds', 'Delays', [[{ camera: 'a' }, { sum: 0.25, count: 3 }]]),
]);

describe('the Prometheus text the endpoint writes', () => {
  it('escapes help text and label values as the format asks', () => {
    expect(text).toContain('# HELP x_frames_total Frames\\nreceived \\\\ all\n');
    expect(text).toContain('x_camera_frames_total{camera="cam \\"7\\" \\\\ east\\nwing"} 3\n');
    expect(text.split('\n').filter((line) => line.startsWith('x_camera_frames_total'))).toHaveLength(1);
  });

  it('a family without a value has no sample; NaN is written as Prometheus reads it', () => {
    expect(text).toContain('# TYPE x_cpu_ratio gauge\n# HELP x_delay_seconds');
    expect(text).toContain('x_delay_seconds NaN\n');
  });

  it('histogram buckets are cumulative, end at the count with +Inf, then _sum and _count', () => {
    expect(text).toContain(
      'x_gap_seconds_bucket{le="0.1"} 2\nx_gap_seconds_bucket{le="1"} 5\nx_gap_seconds_bucket{le="+Inf"} 6\nx_gap_seconds_sum 4.5\nx_gap_seconds_count 6\n',
    );
    expect(text).toContain('x_delay_sum_seconds_sum{camera="a"} 0.25\nx_delay_sum_seconds_count{camera="a"} 3\n');
  });

  it.skipIf(!existsSync(PROMTOOL))('promtool reads it without a complaint', () => {
    expect(promtoolCheck(text)).toBeUndefined();
    // And it would complain: a label value with a raw line break breaks the format.
    expect(promtoolCheck(text.replace('east\\nwing', 'east\nwing'))).toBeDefined();
  });
});
