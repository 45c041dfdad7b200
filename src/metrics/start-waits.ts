/**
 * A stream's start, on the run clock: when it was meant to start (its place in the ramp-up), when it asked for a
 * connect slot (camera-load's own lateness before), when its first request left (the connect queue before) and
 * when its first response headers and body byte came. The server's figures count from the request leaving.
 */
export interface StartTimes {
  scheduledAt: number;
  firstAttemptAt: number | undefined;
  requestSentAt: number | undefined;
  /** Every connect slot was taken when the first request asked for one: its wait was the connect queue's. */
  waitedForSlot: boolean | undefined;
  headersAt: number | undefined;
  firstByteAt: number | undefined;
}

/**
 * What a stream's first request waited for before it left, up to `now` for a wait not over (ms; undefined: not
 * begun): camera-load's own lateness (from its scheduled start to asking for a slot, and, with a slot free, on to
 * leaving) and the connect queue (asking to leaving, when every slot was taken). The report and the live metrics read it.
 */
export function startWaits(s: Readonly<StartTimes>, now: number): { clientLatenessMs: number | undefined; connectQueueMs: number | undefined } {
  const { firstAttemptAt, requestSentAt, scheduledAt } = s;
  const asked = firstAttemptAt ?? (now > scheduledAt ? now : undefined);
  const left = requestSentAt ?? (firstAttemptAt === undefined ? undefined : now);
  const wait = left === undefined || firstAttemptAt === undefined ? undefined : Math.max(0, left - firstAttemptAt);
  const queued = s.waitedForSlot !== false;
  return {
    clientLatenessMs: asked === undefined ? undefined : Math.max(0, asked - scheduledAt) + (queued ? 0 : (wait ?? 0)),
    connectQueueMs: wait === undefined ? undefined : queued ? wait : 0,
  };
}
