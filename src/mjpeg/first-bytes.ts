/**
 * The first bytes of a body, collected into one buffer allocated once, so that what they are can be decided
 * from the bytes alone (whatever the chunking) and then parsed again.
 */
export class FirstBytes {
  private readonly bytes: Buffer;
  private length = 0;

  constructor(limit: number) {
    this.bytes = Buffer.alloc(limit);
  }

  get capacity(): number {
    return this.bytes.length;
  }

  get full(): boolean {
    return this.length === this.bytes.length;
  }

  /** What has been collected. */
  get collected(): Buffer {
    return this.bytes.subarray(0, this.length);
  }

  /** Copies bytes from `chunk` at `from`, up to the limit; returns how many. */
  collect(chunk: Buffer, from: number): number {
    const count = Math.min(chunk.length - from, this.bytes.length - this.length);
    chunk.copy(this.bytes, this.length, from, from + count);
    this.length += count;
    return count;
  }
}
