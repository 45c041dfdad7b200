import { request } from 'undici';

/** Streams held open (their bytes read and thrown away) until close(): a viewer that stays as long as a test needs. */
export interface HeldStreams {
  close(): Promise<void>;
}

/** Opens every URL and resolves once each has answered its headers (a refused one rejects, after closing the rest). */
export async function holdStreams(urls: readonly string[]): Promise<HeldStreams> {
  const controller = new AbortController();
  const reading: Promise<void>[] = [];
  const close = async (): Promise<void> => {
    controller.abort();
    await Promise.all(reading);
  };
  try {
    const responses = await Promise.all(urls.map((url) => request(url, { signal: controller.signal })));
    for (const response of responses) {
      if (response.statusCode !== 200) throw new Error(`a held stream answered ${response.statusCode}`);
      // Read and thrown away; the abort of close() ends it with an error that is what the test asked for.
      reading.push(
        new Promise<void>((resolve) => {
          response.body
            .on('error', () => undefined)
            .on('close', resolve)
            .resume();
        }),
      );
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { close };
}

/** Polls `probe` every 20 ms until it returns a value, for at most `timeoutMs`. */
export async function waitFor<T>(probe: () => T | undefined, what: string, timeoutMs = 5_000): Promise<T> {
  const until = performance.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (performance.now() > until) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
