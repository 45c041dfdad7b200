import { createBrotliDecompress, createGunzip, createInflate, createInflateRaw, constants } from 'node:zlib';
import { Transform, type TransformCallback } from 'node:stream';

/**
 * How a response body is decoded before the parser sees it. We ask for `Accept-Encoding: identity`, but a
 * proxy or a server may compress anyway; parsing gzip bytes as multipart would count nothing and say nothing.
 */
export type BodyDecoding = { kind: 'identity' } | { kind: 'decode'; encoding: string; create: () => Transform } | { kind: 'unsupported'; encoding: string };

// Flushing every chunk as it comes keeps frame timing close to the wire; the final flush tolerates a stream
// cut short (a live stream usually is).
const LIVE = { flush: constants.Z_SYNC_FLUSH, finishFlush: constants.Z_SYNC_FLUSH };

/** "deflate" is zlib-wrapped by the standard and raw by some servers: tell them apart by the first two bytes. */
class DeflateEither extends Transform {
  private inner: Transform | undefined;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (!this.inner) {
      const zlibHeader = chunk.length >= 2 && ((chunk[0] ?? 0) & 0x0f) === 8 && (((chunk[0] ?? 0) << 8) | (chunk[1] ?? 0)) % 31 === 0;
      const inner = zlibHeader ? createInflate(LIVE) : createInflateRaw(LIVE);
      inner.on('data', (data: Buffer) => this.push(data));
      inner.on('error', (error) => this.destroy(error));
      this.inner = inner;
    }
    this.inner.write(chunk, () => {
      callback();
    });
  }

  override _flush(callback: TransformCallback): void {
    if (!this.inner) {
      callback();
      return;
    }
    this.inner.once('end', () => {
      callback();
    });
    this.inner.end();
  }
}

/** The decoding for a Content-Encoding header value (one coding; a list of codings is not supported). */
export function bodyDecoding(contentEncoding: string | undefined): BodyDecoding {
  const encoding = (contentEncoding ?? '').trim().toLowerCase();
  switch (encoding) {
    case '':
    case 'identity':
      return { kind: 'identity' };
    case 'gzip':
    case 'x-gzip':
      return { kind: 'decode', encoding, create: () => createGunzip(LIVE) };
    case 'deflate':
      return { kind: 'decode', encoding, create: () => new DeflateEither() };
    case 'br':
      return {
        kind: 'decode',
        encoding,
        create: () => createBrotliDecompress({ flush: constants.BROTLI_OPERATION_FLUSH, finishFlush: constants.BROTLI_OPERATION_FLUSH }),
      };
    default:
      return { kind: 'unsupported', encoding };
  }
}
