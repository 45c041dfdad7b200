import { UsageError } from '../errors.js';
import type { ViewerBehaviour, ViewerGroup } from '../viewers.js';
import { seededRandom } from '../random.js';

/** A stream's own sequence (its backoff jitter): the run's seed and the stream's index in the whole plan. */
export function streamRandom(seed: number, index: number): () => number {
  return seededRandom((seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0);
}

/** How many streams each group gets: its share of the plan rounded, and at least one for a share asked for. */
function groupSizes(planned: number, behaviours: readonly ViewerBehaviour[]): number[] {
  const sizes = behaviours.map((b) => (b.share > 0 ? Math.max(1, Math.round(planned * b.share)) : 0));
  const total = sizes.reduce((a, b) => a + b, 0);
  if (total > planned) {
    const asked = behaviours.map((b, i) => `${b.group} ${sizes[i]}`).join(', ');
    throw new UsageError(
      `the viewer groups need ${total} streams (${asked}; at least one each) but the plan has ${planned}: give fewer groups or smaller shares, or more --max-streams`,
    );
  }
  return sizes;
}

/**
 * Which group each stream of the whole plan falls in, by its index in the plan. Seeded, so every shard agrees and a
 * merge is exact; spread across cameras: the streams are taken first streams of each camera in a shuffled order, then
 * second streams, so a group uses as many cameras as it can before it uses one twice. The rest are normal.
 */
export function assignViewerGroups(cameraIds: readonly string[], behaviours: readonly ViewerBehaviour[], seed: number): ViewerGroup[] {
  const groups: ViewerGroup[] = cameraIds.map(() => 'normal');
  if (behaviours.length === 0) return groups;
  const random = seededRandom(seed);
  const seen = new Map<string, number>();
  const order = cameraIds
    .map((id, index) => {
      const round = seen.get(id) ?? 0;
      seen.set(id, round + 1);
      return { index, round, key: random() };
    })
    .sort((a, b) => a.round - b.round || a.key - b.key);
  const sizes = groupSizes(cameraIds.length, behaviours);
  let next = 0;
  behaviours.forEach((behaviour, b) => {
    for (let n = 0; n < (sizes[b] ?? 0); n++) groups[(order[next++] as { index: number }).index] = behaviour.group;
  });
  return groups;
}
