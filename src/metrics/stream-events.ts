export type StreamEventType = 'connect' | 'first-frame' | 'error' | 'reconnect' | 'stall' | 'frozen' | 'arrive' | 'depart';

export interface StreamEvent {
  /** Milliseconds since the run started. */
  t: number;
  type: StreamEventType;
  detail?: string;
}

const MAX_EVENTS = 40;

// An event's detail, made once for every stream that says the same: at 10,000 streams a string each (HTTP 200, and
// FROZEN for a fleet that repeats its pictures) was 0.1 KB a stream.
const statusTexts = new Map<number, string>();
export const statusText = (code: number): string => {
  let text = statusTexts.get(code);
  if (text === undefined) {
    text = `HTTP ${code}`;
    // Bounded: HTTP's status codes are three digits.
    if (statusTexts.size < 1000) statusTexts.set(code, text);
  }
  return text;
};
let frozen = { ms: Number.NaN, text: '' };
export const frozenText = (ms: number): string => {
  if (frozen.ms !== ms) frozen = { ms, text: `FROZEN: the same picture for over ${ms} ms while frames kept coming` };
  return frozen.text;
};

/**
 * A stream's short, bounded history: the first events and the most recent ones matter, the middle is counted. The
 * entries are an array of their own length, copied at each event (a few a connection, never one a frame): an array
 * grown by push() keeps room for 17 or more, 0.15 KB a stream where most streams have three events (concat() makes
 * one of the length it needs; a spread does not).
 */
export class EventLog {
  entries: readonly StreamEvent[] = NONE;
  dropped = 0;

  add(entry: StreamEvent): void {
    if (this.entries.length < MAX_EVENTS) {
      this.entries = this.entries.concat(entry);
      return;
    }
    this.dropped++;
    // Keep the first half as it was; the second half rolls.
    this.entries = this.entries.slice(0, MAX_EVENTS / 2).concat(this.entries.slice(MAX_EVENTS / 2 + 1), entry);
  }
}

const NONE: readonly StreamEvent[] = [];
