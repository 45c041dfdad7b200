import type { Camera, CameraList } from '../cameras/camera.js';
import { printable } from '../text/printable.js';
import { redactUrl } from '../text/redact.js';

// `camera-load cameras`: the table a person reads, and the file every shard reads back. Pure.

const SHOWN = 20;
const SKIPPED_SHOWN = 5;

const cell = (text: string, width: number): string => printable(text, width).padEnd(width);

/** The cameras a run would stream from: counts, then the first 20 as id, name and redacted URL. */
export function renderCameras(list: CameraList & { origin: string }): string {
  const { cameras, listed, active, skipped } = list;
  const lines = [
    `${cameras.length} camera${cameras.length === 1 ? '' : 's'} ready to stream from ${redactUrl(list.origin)} ` +
      `(${listed} listed, ${active} active, ${skipped.length} skipped for their fr_url)`,
  ];
  if (cameras.length > 0) {
    const idWidth = Math.min(24, Math.max(2, ...cameras.slice(0, SHOWN).map((c) => c.id.length)));
    const nameWidth = Math.min(32, Math.max(4, ...cameras.slice(0, SHOWN).map((c) => c.name.length)));
    lines.push(`  ${cell('ID', idWidth)}  ${cell('NAME', nameWidth)}  URL`);
    for (const camera of cameras.slice(0, SHOWN)) {
      lines.push(`  ${cell(camera.id, idWidth)}  ${cell(camera.name, nameWidth)}  ${printable(redactUrl(camera.streamUrl), 200)}`);
    }
    if (cameras.length > SHOWN) lines.push(`  … and ${cameras.length - SHOWN} more`);
  }
  for (const { id, reason } of skipped.slice(0, SKIPPED_SHOWN)) lines.push(`Skipped ${id}: ${reason}`);
  if (skipped.length > SKIPPED_SHOWN) lines.push(`Skipped … and ${skipped.length - SKIPPED_SHOWN} more`);
  return `${lines.join('\n')}\n`;
}

/**
 * The cameras file `--cameras-file` reads back, in the shape of the camera API (status 1, fr_url). The URLs
 * are the ones the cameras were listed with, minus any user:password (the source moved those to headers): a
 * file handed to every shard must hold no credentials, which go to each shard as text/credentials.ts says.
 */
export function camerasFileText(cameras: readonly Camera[]): string {
  const items = cameras.map((camera) => ({ id: camera.id, name: camera.name, status: 1, fr_url: camera.streamUrl }));
  return `${JSON.stringify({ cameras: items }, null, 2)}\n`;
}
