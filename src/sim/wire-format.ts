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
 * One whole part as it goes on the wire, built once so that serving a frame is a single write of a shared
 * buffer: `--frame EOL Content-Type: image/jpeg EOL [Content-Length: N EOL] EOL <body> EOL`.
 */
export function buildPart(body: Buffer, format: PartFormat, contentType = 'image/jpeg'): Buffer {
  const eol = format.lineEnding;
  const length = format.contentLength ? `Content-Length: ${body.length}${eol}` : '';
  const head = Buffer.from(`--${BOUNDARY}${eol}Content-Type: ${contentType}${eol}${length}${eol}`, 'latin1');
  return Buffer.concat([head, body, Buffer.from(eol, 'latin1')]);
}

/** A part that claims to be a JPEG but is not one: no SOI, no EOI, no bytes that could form a delimiter. */
export function buildCorruptBody(size: number): Buffer {
  const body = Buffer.alloc(size, 0x41);
  body.write('NOT A JPEG ', 0, 'latin1');
  return body;
}
