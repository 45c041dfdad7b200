import type { PartSet, WirePart } from './stream-client.js';
import { buildCorruptBody, buildPartHead, type PartFormat } from './wire-format.js';

/**
 * Every part a wire format serves, built once at start-up and shared by every stream that uses the format
 * (Content-Length or not, CRLF or LF): streams write these buffers, never copies.
 */
export class PartSets {
  private readonly sets = new Map<string, PartSet>();

  constructor(
    private readonly images: readonly Buffer[],
    private readonly frameBytes: number,
  ) {}

  for(format: PartFormat): PartSet {
    const key = `${format.contentLength}|${format.lineEnding}`;
    let set = this.sets.get(key);
    if (set === undefined) {
      set = this.build(format);
      this.sets.set(key, set);
    }
    return set;
  }

  /** A format's average part, head and image, in bytes. */
  averageBytes(format: PartFormat): number {
    const { frames } = this.for(format);
    return frames.reduce((sum, part) => sum + part.head.length + part.tail.length, 0) / frames.length;
  }

  private build(format: PartFormat): PartSet {
    const eol = Buffer.from(format.lineEnding, 'latin1');
    const wirePart = (body: Buffer): WirePart => ({ head: buildPartHead(body.length, format), tail: Buffer.concat([body, eol]) });
    return { frames: this.images.map(wirePart), corrupt: wirePart(buildCorruptBody(this.frameBytes)), lineEnding: format.lineEnding };
  }
}
