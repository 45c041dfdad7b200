import type { CommandContext } from '../command-context.js';
import type { MetricsOptions } from '../options/run-options.js';
import type { ShardId } from '../report/report-types.js';
import type { LiveMetrics } from './endpoint.js';

export type { LiveMetrics } from './endpoint.js';

const NONE: LiveMetrics = {
  follow: () => undefined,
  close: () => Promise.resolve(),
  abandon: (error) => Promise.reject(error instanceof Error ? error : new Error(String(error))),
};

/**
 * The endpoint for `--metrics-port`, listening before anything is created or opened (a port in use is a usage
 * error, exit 2, before any stream); a stand-in that does nothing without the flag. The endpoint is loaded only
 * when asked for: every other run would pay its start-up for nothing.
 */
export async function startMetrics(
  command: 'run' | 'max',
  options: { metrics?: MetricsOptions; quiet: boolean; shard?: ShardId },
  version: string,
  context: Pick<CommandContext, 'stdout' | 'mustFinishWithin'>,
): Promise<LiveMetrics> {
  if (options.metrics === undefined) return NONE;
  const { openMetricsEndpoint } = await import('./endpoint.js');
  return openMetricsEndpoint(command, { ...options, metrics: options.metrics }, version, context);
}
