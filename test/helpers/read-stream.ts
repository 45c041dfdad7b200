import { request } from 'undici';

export interface CapturedStream {
  statusCode: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** performance.now() when each chunk arrived, with its length. */
  chunks: { at: number; length: number }[];
  /** 'ended' when the server finished or closed, 'aborted' when we stopped reading, 'error' otherwise. */
  outcome: 'ended' | 'aborted' | 'error';
  error?: unknown;
  headersAt: number;
  startedAt: number;
}

/** Reads a URL for at most `ms` (or until `maxBytes`), keeping the raw bytes: bounded in time and memory. */
export async function captureStream(url: string, options: { ms: number; maxBytes?: number; headers?: Record<string, string> }): Promise<CapturedStream> {
  const maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
  const controller = new AbortController();
  const timer = setTimeout(() => {
    controller.abort();
  }, options.ms);
  const startedAt = performance.now();
  const parts: Buffer[] = [];
  const chunks: { at: number; length: number }[] = [];
  let size = 0;
  try {
    const response = await request(url, { signal: controller.signal, headers: options.headers ?? {} });
    const headersAt = performance.now();
    let outcome: CapturedStream['outcome'] = 'ended';
    let error: unknown;
    try {
      for await (const chunk of response.body as AsyncIterable<Buffer>) {
        chunks.push({ at: performance.now(), length: chunk.length });
        if (size < maxBytes) parts.push(chunk);
        size += chunk.length;
        if (size >= maxBytes) {
          controller.abort();
          break;
        }
      }
    } catch (caught) {
      outcome = controller.signal.aborted ? 'aborted' : 'error';
      error = caught;
    }
    if (controller.signal.aborted) outcome = 'aborted';
    return {
      statusCode: response.statusCode,
      headers: response.headers,
      body: Buffer.concat(parts),
      chunks,
      outcome,
      error,
      headersAt,
      startedAt,
    };
  } finally {
    clearTimeout(timer);
  }
}

export interface SplitPart {
  headers: Record<string, string>;
  body: Buffer;
  /** Offset in the stream just past the part's body. */
  end: number;
}

/**
 * A deliberately naive splitter for the simulator's own format, used only to check what the simulator sent
 * (the real parser is tested on its own): parts separated by `--frame` lines, headers up to a blank line.
 * Returns only complete parts (a following delimiter or end of a body known by Content-Length).
 */
export function splitSimulatorParts(body: Buffer, eol = '\r\n'): SplitPart[] {
  const delimiter = Buffer.from(`--frame${eol}`);
  const blank = Buffer.from(`${eol}${eol}`);
  const out: SplitPart[] = [];
  let at = body.indexOf(delimiter);
  while (at !== -1) {
    const headStart = at + delimiter.length;
    const headEnd = body.indexOf(blank, headStart);
    if (headEnd === -1) break;
    const headers: Record<string, string> = {};
    for (const line of body.subarray(headStart, headEnd).toString('latin1').split(eol)) {
      const colon = line.indexOf(':');
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    const bodyStart = headEnd + blank.length;
    let bodyEnd: number;
    let next: number;
    if (headers['content-length'] !== undefined) {
      bodyEnd = bodyStart + Number(headers['content-length']);
      if (bodyEnd + eol.length > body.length) break;
      next = bodyEnd + eol.length;
    } else {
      const following = body.indexOf(Buffer.from(`${eol}--frame${eol}`), bodyStart);
      if (following === -1) break;
      bodyEnd = following;
      next = following + eol.length;
    }
    out.push({ headers, body: body.subarray(bodyStart, bodyEnd), end: bodyEnd });
    at = next < body.length && body.indexOf(delimiter, next) === next ? next : -1;
  }
  return out;
}

export function isJpeg(body: Buffer): boolean {
  return body.length >= 4 && body[0] === 0xff && body[1] === 0xd8 && body.at(-2) === 0xff && body.at(-1) === 0xd9;
}

/** When each part's last body byte had arrived, from the chunk log. */
export function partArrivalTimes(captured: CapturedStream, parts: readonly SplitPart[]): number[] {
  const times: number[] = [];
  let received = 0;
  let i = 0;
  for (const chunk of captured.chunks) {
    received += chunk.length;
    while (i < parts.length && (parts[i]?.end ?? Infinity) <= received) {
      times.push(chunk.at);
      i++;
    }
  }
  return times;
}
