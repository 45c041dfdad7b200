import { FirstBytes } from './first-bytes.js';

export interface MultipartType {
  /** The boundary as declared, unquoted. */
  boundary: string;
  /** Lower-cased, e.g. multipart/x-mixed-replace. */
  mimeType: string;
}

const MAX_SNIFF_LINE = 200;

/**
 * `multipart/x-mixed-replace; boundary=frame` -> { boundary: 'frame', … }. Parameter names in any case and
 * order, spaces around `=`, quoted values. undefined when the type is not multipart or has no boundary.
 */
export function parseMultipartContentType(contentType: string | undefined): MultipartType | undefined {
  if (contentType === undefined) return undefined;
  const semicolon = contentType.indexOf(';');
  const mimeType = (semicolon === -1 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase();
  if (!mimeType.startsWith('multipart/')) return undefined;
  const params = semicolon === -1 ? '' : contentType.slice(semicolon + 1);
  const pattern = /\s*([^=;\s]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)\s*;?/g;
  for (let match = pattern.exec(params); match !== null; match = pattern.exec(params)) {
    if ((match[1] ?? '').toLowerCase() !== 'boundary') continue;
    let value = (match[2] ?? '').trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1).replace(/\\(.)/g, '$1');
    return value === '' ? undefined : { boundary: value, mimeType };
  }
  return undefined;
}

/**
 * The boundary of a body that starts with a delimiter line (`--B` then CRLF or LF), for servers that do
 * not declare multipart (ffmpeg answers application/octet-stream). Leading blank lines are skipped.
 */
export function sniffBoundary(bodyStart: Buffer): string | undefined {
  let i = 0;
  while (i < bodyStart.length && (bodyStart[i] === 0x0d || bodyStart[i] === 0x0a)) i++;
  if (bodyStart[i] !== 0x2d || bodyStart[i + 1] !== 0x2d) return undefined;
  const lineEnd = bodyStart.indexOf(0x0a, i);
  if (lineEnd === -1 || lineEnd - i > MAX_SNIFF_LINE) return undefined;
  const line = bodyStart.toString('latin1', i + 2, lineEnd).replace(/[\s]+$/, '');
  return line === '' || /\s/.test(line) ? undefined : line;
}

const SNIFF_LIMIT = 1024;
const CR = 0x0d;
const LF = 0x0a;

/**
 * Collects the first bytes of an undeclared body (into one buffer, allocated once) until its first line
 * tells: a delimiter line gives the boundary; any other line, or 1 KiB of nothing, means it is not multipart.
 */
export class BoundarySniffer {
  private readonly bytes = new FirstBytes(SNIFF_LIMIT);
  private found: string | undefined;
  private noBoundary = false;
  private text = false;

  get capacity(): number {
    return this.bytes.capacity;
  }

  /** The bytes taken so far, to be parsed again with the boundary. */
  get collected(): Buffer {
    return this.bytes.collected;
  }

  /** The boundary the first line names, once it is whole. */
  get boundary(): string | undefined {
    return this.found;
  }

  /** The first line is whole and is not a delimiter line, or 1 KiB came without one: not multipart. */
  get hopeless(): boolean {
    return this.noBoundary;
  }

  /** Bytes other than line ends arrived: a stream that ends now was not multipart. */
  get sawText(): boolean {
    return this.text;
  }

  /** Takes bytes from `chunk` at `from`; returns how many it took. */
  take(chunk: Buffer, from: number): number {
    const count = this.bytes.collect(chunk, from);
    const collected = this.bytes.collected;
    this.found = sniffBoundary(collected);
    if (this.found === undefined) {
      const firstText = collected.findIndex((byte) => byte !== CR && byte !== LF);
      this.text = firstText !== -1;
      this.noBoundary = this.bytes.full || (firstText !== -1 && collected.indexOf(LF, firstText) !== -1);
    }
    return count;
  }
}
