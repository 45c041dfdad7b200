export type StreamEventType = 'connect' | 'first-frame' | 'error' | 'reconnect' | 'stall' | 'frozen' | 'arrive' | 'depart';

export interface StreamEvent {
  /** Milliseconds since the run started. */
  t: number;
  type: StreamEventType;
  detail?: string;
}

const MAX_EVENTS = 40;

/** A stream's short, bounded history: the first events and the most recent ones matter, the middle is counted. */
export class EventLog {
  readonly entries: StreamEvent[] = [];
  dropped = 0;

  add(entry: StreamEvent): void {
    if (this.entries.length < MAX_EVENTS) {
      this.entries.push(entry);
      return;
    }
    this.dropped++;
    // Keep the first half as it was; the second half rolls.
    this.entries.splice(MAX_EVENTS / 2, 1);
    this.entries.push(entry);
  }
}
