import type { Dispatcher } from 'undici';
import type { EndCode } from '../end-codes.js';
import { bodyDecoding, type BodyDecoding } from './body-decoder.js';
import { parseMultipartContentType, type MultipartType } from '../mjpeg/content-type.js';
import { printable } from '../text/printable.js';
import { redactUrl } from '../text/redact.js';

/** A decoding camera-load can read a body with. */
export type ReadableDecoding = Exclude<BodyDecoding, { kind: 'unsupported' }>;

// Bodies that are plainly not a stream of images: answered at once rather than sniffed.
const NOT_A_STREAM = /^(text\/|application\/(json|xml|problem\+json))/;

const headerText = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value.join(', ') : value);

/**
 * Whether an answer is a stream camera-load can read: a 2xx, not plainly a page or a document, in an encoding it
 * decodes. Its boundary and decoding when it is; else the code and message the connection ends with.
 */
export function acceptStream(
  response: Pick<Dispatcher.ResponseData, 'statusCode' | 'headers'>,
  refused: string | undefined,
): { multipart: MultipartType | undefined; decoding: ReadableDecoding } | { code: EndCode; message: string } {
  const { statusCode, headers } = response;
  if (statusCode < 200 || statusCode > 299) return { code: `HTTP_${statusCode}`, message: notServedMessage(statusCode, headers.location, refused) };
  const contentType = contentTypeOf(headers['content-type']);
  const multipart = parseMultipartContentType(contentType);
  if (!multipart && contentType !== undefined && NOT_A_STREAM.test(contentType.toLowerCase())) {
    return { code: 'NOT_MULTIPART', message: `answered ${contentType}, not a multipart stream` };
  }
  const decoding = bodyDecoding(headerText(headers['content-encoding']));
  if (decoding.kind === 'unsupported') {
    return { code: 'UNSUPPORTED_ENCODING', message: `the stream is sent with Content-Encoding '${decoding.encoding}', which camera-load cannot decode` };
  }
  return { multipart, decoding };
}

/** A Content-Type sent twice: the multipart one if either is, else the last (as a browser reads it). */
const contentTypeOf = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? (value.find((type) => parseMultipartContentType(type) !== undefined) ?? value.at(-1)) : value;

/** Why a non-2xx answer is no stream; a redirect says where it pointed, since camera-load does not follow it. */
function notServedMessage(statusCode: number, location: string | string[] | undefined, refused: string | undefined): string {
  const where = headerText(location);
  if (statusCode >= 300 && statusCode <= 399 && where !== undefined) {
    return `answered HTTP ${statusCode}, a redirect to ${printable(redactUrl(where), 200)}: camera-load does not follow redirects; give that URL`;
  }
  return refused === undefined ? `answered HTTP ${statusCode}` : `answered HTTP ${statusCode}: ${refused}`;
}
