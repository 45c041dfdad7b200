import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { CommandContext } from '../command-context.js';
import { UsageError } from '../errors.js';
import type { MetricsOptions } from '../options/run-options.js';
import type { ShardId } from '../report/report-types.js';
import type { Runner } from '../run/runner.js';
import type { ViewerPlan } from '../viewers.js';
import type { StageSpan, Storm } from '../stages.js';
import { CONTENT_TYPE } from './exposition.js';
import { Scraper, type MetricsInfo } from './families.js';
import { LiveTally } from './tally.js';
import { defined } from '../defined.js';

// `--metrics-port`: the live Prometheus endpoint of `run` and `max` (what it serves: families.ts).

/** How long, at most, the endpoint waits after the run for Prometheus's last scrape. */
export const LAST_SCRAPE_WAIT_MS = 5_000;

/** The endpoint of one command: listens before anything runs, serves /metrics, closes after the report. */
export interface LiveMetrics {
  /**
   * The runner (max: each trial's) whose streams the endpoint reads from now on; `viewers`, the run's viewer groups
   * (without it, they are read from the streams: a group none of them is in is left out, every group when all are normal);
   * `stages`, the run's --stages, whose stage and target it serves while the runner runs; `storms`, its --storm-at, whose
   * families it serves from then on (what struck is read from the runner).
   */
  follow(runner: Runner, streams: number, viewers?: ViewerPlan, stages?: readonly StageSpan[], storms?: readonly Storm[]): void;
  /**
   * Closes the endpoint once the report is written. With `lastScrape`, and a scraper seen, first waits for one
   * more scrape (at most 1.5 scrape intervals, LAST_SCRAPE_WAIT_MS): that scrape reads the run's final counters,
   * so Prometheus ends on the report's figures.
   */
  close(options: { lastScrape: boolean }): Promise<void>;
  /** Closes the endpoint and throws `error` again: for a failure before the run (passed to .catch() as it is). */
  readonly abandon: (error: unknown) => Promise<never>;
}

/** The endpoint for `--metrics-port`, listening already: a port in use is a usage error before anything runs. */
export async function openMetricsEndpoint(
  command: 'run' | 'max',
  options: { metrics: MetricsOptions; quiet: boolean; shard?: ShardId },
  version: string,
  context: Pick<CommandContext, 'stdout' | 'mustFinishWithin'>,
): Promise<LiveMetrics> {
  const exporter = new MetricsExporter(options.metrics, { version, command, ...defined({ shard: options.shard }) }, context);
  const url = await exporter.listen();
  if (!options.quiet) context.stdout.write(`Metrics: ${url}\n`);
  return exporter;
}

class MetricsExporter implements LiveMetrics {
  private readonly live: LiveTally;
  private readonly scraper: Scraper;
  private readonly server: Server;
  /** performance.now() of the last two scrapes: their difference is the scraper's interval. */
  private scrapes: number[] = [];
  private closingSince: number | undefined;
  private onLastScrape: (() => void) | undefined;

  constructor(
    private readonly options: MetricsOptions,
    info: MetricsInfo,
    private readonly context: Pick<CommandContext, 'mustFinishWithin'>,
  ) {
    this.live = new LiveTally(options.perCamera);
    this.scraper = new Scraper(this.live, info, options.perCamera);
    this.server = createServer((request, response) => {
      this.serve(request, response);
    });
  }

  /** Listens, or throws the usage error that says why not: the run has not started yet. */
  async listen(): Promise<string> {
    const { host, port } = this.options;
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        // Once listening, a failed accept (EMFILE under load) must not end the run: the scraper retries.
        this.server.on('error', () => undefined);
        resolve();
      });
    }).catch((error: unknown) => {
      throw listenError(error, host, port);
    });
    const address = this.server.address();
    const bound = typeof address === 'object' && address !== null ? address.port : port;
    return `http://${host.includes(':') ? `[${host}]` : host}:${bound}/metrics`;
  }

  follow(runner: Runner, streams: number, viewers?: ViewerPlan, stages?: readonly StageSpan[], storms?: readonly Storm[]): void {
    this.live.follow(runner, streams, viewers, stages, storms);
  }

  private serve(request: IncomingMessage, response: ServerResponse): void {
    const path = (request.url ?? '').split('?')[0];
    if (path !== '/metrics') {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('camera-load serves /metrics only\n');
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const startedAt = performance.now();
    this.scrapes = [this.scrapes.at(-1) ?? startedAt, startedAt];
    try {
      response.writeHead(200, { 'content-type': CONTENT_TYPE }).end(request.method === 'HEAD' ? undefined : this.scraper.text());
    } catch (error) {
      response.writeHead(500, { 'content-type': 'text/plain' }).end(`${(error as Error).message}\n`);
    }
    if (this.closingSince !== undefined && startedAt >= this.closingSince) this.onLastScrape?.();
  }

  async close({ lastScrape }: { lastScrape: boolean }): Promise<void> {
    this.closingSince = performance.now();
    const [previous, last] = this.scrapes;
    if (lastScrape && last !== undefined && previous !== undefined) {
      const interval = last - previous;
      const waitMs = interval > 0 ? Math.min(LAST_SCRAPE_WAIT_MS, interval * 1.5 + 250) : LAST_SCRAPE_WAIT_MS;
      // The wait comes after the report is written, beyond the run's shutdown budget: the CLI's deadline moves.
      this.context.mustFinishWithin(waitMs + 2_000);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, waitMs);
        this.onLastScrape = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    await new Promise<void>((resolve) => {
      this.server.close(() => {
        resolve();
      });
      // Prometheus keeps its connection alive between scrapes: without this, close() would wait for it.
      this.server.closeAllConnections();
    });
  }

  // A property, not a method: the commands pass it to .catch() as it is.
  readonly abandon = async (error: unknown): Promise<never> => {
    await this.close({ lastScrape: false });
    throw error;
  };
}

function listenError(error: unknown, host: string, port: number): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') {
    return new UsageError(`--metrics-port ${port}: ${host}:${port} is already in use; choose another port, or 0 for any free one`, {
      code: 'ERR_METRICS_PORT_IN_USE',
      cause: error,
    });
  }
  if (code === 'EACCES') {
    return new UsageError(`--metrics-port ${port}: not allowed to listen on ${host}:${port} (ports below 1024 need privileges)`, {
      code: 'ERR_METRICS_PORT_IN_USE',
      cause: error,
    });
  }
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_FAIL' || code === 'EAFNOSUPPORT' || code === 'EINVAL') {
    return new UsageError(
      `--metrics-host ${host}: cannot listen there (${code}): not a name or an address of this machine; 127.0.0.1, or 0.0.0.0 for every interface`,
      {
        code: 'ERR_METRICS_HOST',
        cause: error,
      },
    );
  }
  return error;
}
