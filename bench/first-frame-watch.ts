// A body's first part watched as a bare client would: complete once its declared Content-Length has arrived (the
// moment camera-load dates a frame with an honest length by, too). Shared by bench/raw-client.ts and the engines'
// sink (bench/engine-sink.ts), so that every baseline dates its first frames the same way.
const HEADERS_END = Buffer.from('\r\n\r\n');
const LENGTH = /content-length:\s*(\d+)/i;

/** Watches a body's first part: calls `done` once its declared length has arrived (bounded: 8 KB of headers). */
export function firstFrameWatcher(done: () => void): (chunk: Buffer) => boolean {
  let head = Buffer.alloc(0);
  let remaining = -1;
  return (chunk) => {
    let rest = chunk;
    if (remaining < 0) {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf(HEADERS_END);
      if (end === -1) return head.length > 8192;
      const length = LENGTH.exec(head.subarray(0, end).toString('latin1'));
      if (!length) return true;
      remaining = Number(length[1]);
      rest = head.subarray(end + HEADERS_END.length);
    }
    remaining -= rest.length;
    if (remaining > 0) return false;
    done();
    return true;
  };
}
