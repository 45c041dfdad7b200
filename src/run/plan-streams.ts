import type { Camera } from '../cameras/camera.js';

/**
 * Which camera each stream reads: round-robin over the cameras, at most `perCamera` streams each, so extra
 * streams spread evenly instead of piling onto the first cameras.
 */
export function planStreams(cameras: readonly Camera[], maxStreams: number, perCamera: number): Camera[] {
  const planned: Camera[] = [];
  for (let round = 0; round < perCamera && planned.length < maxStreams; round++) {
    for (const camera of cameras) {
      if (planned.length >= maxStreams) break;
      planned.push(camera);
    }
  }
  return planned;
}

const PIECES = /\d+|\D+/g;

/** Natural order ('cam-2' before 'cam-10'), the same on every machine: no locale is involved. */
export function compareIds(a: string, b: string): number {
  const left = a.match(PIECES) ?? [];
  const right = b.match(PIECES) ?? [];
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const x = left[i] ?? '';
    const y = right[i] ?? '';
    if (x === y) continue;
    const numeric = /^\d/.test(x) && /^\d/.test(y);
    if (numeric && BigInt(x) !== BigInt(y)) return BigInt(x) < BigInt(y) ? -1 : 1;
    return x < y ? -1 : 1;
  }
  return left.length - right.length || (a < b ? -1 : a > b ? 1 : 0);
}

/** The cameras by id: every shard, whatever order its API answered in, plans the same streams. */
export function orderCameras(cameras: readonly Camera[]): Camera[] {
  return [...cameras].sort((a, b) => compareIds(a.id, b.id));
}

/**
 * The global stream indexes shard `index` of `count` (1-based) opens: round-robin, so shard sizes differ by at
 * most one and a camera's streams spread over the shards.
 */
export function shardIndexes(planned: number, shard: { index: number; count: number } | undefined): number[] {
  const indexes: number[] = [];
  const first = shard === undefined ? 0 : shard.index - 1;
  const step = shard === undefined ? 1 : shard.count;
  for (let i = first; i < planned; i += step) indexes.push(i);
  return indexes;
}
