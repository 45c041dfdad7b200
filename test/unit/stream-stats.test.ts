import { describe, expect, it } from 'vitest';
import { StreamStats } from '../../src/metrics/stream-stats.js';
import { newParserCounters } from '../../src/mjpeg/parser-types.js';

describe('StreamStats changes through the events of a stream', () => {
  it('the first attempt, request, headers and byte are kept; later ones only count', () => {
    const s = new StreamStats(0, '1', 'one', 'http://cam/1');
    s.scheduled(10);
    s.attemptStarted(12);
    s.connectSlotAsked(false);
    s.requestSent(15);
    s.responseStarted(20, 200);
    let clockReads = 0;
    const clock = (): number => 21 + clockReads++;
    s.bytesReceived(100, clock);
    s.bytesReceived(50, clock);
    s.attemptStarted(500);
    s.connectSlotAsked(true);
    s.requestSent(510);
    s.responseStarted(520, 503);
    expect({
      scheduledAt: s.start.scheduledAt,
      firstAttemptAt: s.start.firstAttemptAt,
      requestSentAt: s.start.requestSentAt,
      headersAt: s.start.headersAt,
      firstByteAt: s.start.firstByteAt,
    }).toEqual({
      scheduledAt: 10,
      firstAttemptAt: 12,
      requestSentAt: 15,
      headersAt: 20,
      firstByteAt: 21,
    });
    expect(clockReads).toBe(1);
    expect(s.bytes).toBe(150);
    expect(s.attempts).toBe(2);
    expect(s.reconnections).toBe(1);
    expect(s.start.waitedForSlot).toBe(false);
    expect(s.events.map((e) => e.detail)).toEqual(['HTTP 200', 'HTTP 503']);
  });

  it("a connection's parser folds its counts in; the first boundary mismatch and the latest timestamp source stay", () => {
    const s = new StreamStats(0, '1', 'one', 'http://cam/1');
    const counters = { ...newParserCounters(), truncatedParts: 2, emptyParts: 1 };
    const source = { header: 'X-Timestamp', unit: 's' } as const;
    s.parserFinished({ counters, boundaryMismatch: { declared: 'a', found: 'b' }, invalidTimestamps: 3, timestampSource: undefined });
    s.parserFinished({ counters, boundaryMismatch: { declared: 'c', found: 'd' }, invalidTimestamps: 1, timestampSource: source });
    s.parserFinished({ counters, boundaryMismatch: undefined, invalidTimestamps: 0, timestampSource: undefined });
    expect(s.parsed.counters).toMatchObject({ truncatedParts: 6, emptyParts: 3, corruptFrames: 0 });
    expect(s.parsed.boundaryMismatch).toEqual({ declared: 'a', found: 'b' });
    expect(s.parsed.invalidTimestamps).toBe(4);
    expect(s.parsed.timestampSource).toEqual(source);
  });

  it('open at the end: whether a response was open when the run stopped', () => {
    const s = new StreamStats(0, '1', 'one', 'http://cam/1');
    s.connectionOpened(0);
    s.runStopped();
    expect(s.openAtEnd).toBe(true);
    s.connectionClosed(5);
    expect(s.openAtEnd).toBe(true);
    s.runStopped();
    expect(s.openAtEnd).toBe(false);
  });
});
