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
