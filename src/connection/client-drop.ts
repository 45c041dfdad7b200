// A reconnect storm (`--storm-at`, issue 30): the run drops a stream's open connection on purpose, as a network blip
// would, and the stream reconnects. The run reaches the connection through its stream's ClientDrop.

/** Why a connection was aborted: the client dropped it on purpose (a storm), not the server nor the run's end. */
export class ClientDropError extends Error {
  override readonly name = 'ClientDropError';
}

/** One stream's handle on its open connection, for the run's storms. */
export class ClientDrop {
  private current: (() => void) | undefined;
  /** The last drop asked the stream to reconnect at once rather than after its backoff. */
  immediate = false;

  /** A response is open: `drop` ends it. */
  attach(drop: () => void): void {
    this.current = drop;
  }

  detach(): void {
    this.current = undefined;
  }

  /** Drops the open connection, if there is one: true when there was. */
  drop(immediate: boolean): boolean {
    const current = this.current;
    if (current === undefined) return false;
    this.immediate = immediate;
    this.current = undefined;
    current();
    return true;
  }
}
