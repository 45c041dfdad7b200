import type { BoundaryStyle } from './options.js';

export const BOUNDARY = 'frame';

export function streamContentType(style: BoundaryStyle | undefined): string {
  switch (style) {
    case 'quoted':
      return `multipart/x-mixed-replace; boundary="${BOUNDARY}"`;
    case 'capitalised':
      return `Multipart/X-Mixed-Replace; Boundary=${BOUNDARY}`;
    case undefined:
      return `multipart/x-mixed-replace; boundary=${BOUNDARY}`;
  }
}

export interface PartFormat {
  contentLength: boolean;
  lineEnding: '\r\n' | '\n';
}

/**
 * One whole part as it goes on the wire, without a timestamp:
 * `--frame EOL Content-Type: image/jpeg EOL [Content-Length: N EOL] EOL <body> EOL` (benchmarks and tests).
 */
export function buildPart(body: Buffer, format: PartFormat, contentType = 'image/jpeg'): Buffer {
  const eol = Buffer.from(format.lineEnding, 'latin1');
  return Buffer.concat([buildPartHead(body.length, format, contentType), eol, body, eol]);
}

/**
 * A part's headers up to, not including, the X-Timestamp line and the blank line: built once per image so
 * that serving a frame writes shared buffers; only the short timestamp line changes from frame to frame.
 */
export function buildPartHead(bodyLength: number, format: PartFormat, contentType = 'image/jpeg'): Buffer {
  const eol = format.lineEnding;
  const length = format.contentLength ? `Content-Length: ${bodyLength}${eol}` : '';
  return Buffer.from(`--${BOUNDARY}${eol}Content-Type: ${contentType}${eol}${length}`, 'latin1');
}

/**
 * The timestamp header and the blank line that ends a part's headers, as ustreamer and mjpg-streamer write
 * it: the capture time in epoch seconds with 6 decimals (microseconds).
 */
export function timestampLine(epochMs: number, lineEnding: PartFormat['lineEnding']): Buffer {
  return Buffer.from(`X-Timestamp: ${formatTimestamp(epochMs)}${lineEnding}${lineEnding}`, 'latin1');
}

export function formatTimestamp(epochMs: number): string {
  return (epochMs / 1000).toFixed(6);
}

/** A part that claims to be a JPEG but is not one: no SOI, no EOI, no bytes that could form a delimiter. */
export function buildCorruptBody(size: number): Buffer {
  const body = Buffer.alloc(size, 0x41);
  body.write('NOT A JPEG ', 0, 'latin1');
  return body;
}
