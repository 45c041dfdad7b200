/** `name{labels} value` lines of the Prometheus text format, as a map. */
export function parseMetricsText(text: string): Map<string, number> {
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    values.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return values;
}

/** One scrape of a /metrics endpoint: its text and its series. */
export interface Scrape {
  text: string;
  values: Map<string, number>;
}

/**
 * Scrapes `url` every `everyMs` until the endpoint refuses after having answered (`closed`), or for `limitMs` at
 * most. Each answer must be a 200 in the Prometheus text format; a refusal before the first answer is waited out.
 */
export async function scrapeUntilClosed(url: string, everyMs: number, limitMs = 25_000): Promise<{ scrapes: Scrape[]; closed: boolean }> {
  const scrapes: Scrape[] = [];
  const until = Date.now() + limitMs;
  while (Date.now() < until) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      const text = await response.text();
      const type = response.headers.get('content-type') ?? '';
      if (response.status !== 200 || !type.startsWith('text/plain; version=0.0.4')) throw new Error(`${url} answered ${response.status} (${type})`);
      scrapes.push({ text, values: parseMetricsText(text) });
    } catch (error) {
      if ((error as { cause?: { code?: string } }).cause?.code === 'ECONNREFUSED' && scrapes.length > 0) return { scrapes, closed: true };
      if (!(error instanceof TypeError)) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  return { scrapes, closed: false };
}
