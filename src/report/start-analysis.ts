import type { Report, StartPercentiles } from './report-types.js';

// The streams' start in plain words: what was camera-load's own wait and what was the server's, so that a slow
// start is charged to whoever caused it.

const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const plural = (n: number, word: string): string => `${int(n)} ${word}${n === 1 ? '' : 's'}`;
const figures = (p: StartPercentiles): string => `p50 ${int(p.p50)} ms, p95 ${int(p.p95)} ms, max ${int(p.max)} ms`;

/** A wait before the request left worth a sentence: under it, the start was as planned. */
export const NOTABLE_WAIT_MS = 500;
/** Answers this slow (time to headers, p50) are the server's: they, not the limit, held the connect slots. */
export const SLOW_ANSWER_MS = 100;

type RunReport = Omit<Report, 'analysis' | 'thresholds'>;

export interface StartAnalysis {
  warnings: string[];
  recommendations: string[];
}

/** Names camera-load's own lateness and the connect queue when they are large, and who filled the queue. */
export function startAnalysis(report: RunReport): StartAnalysis {
  const start = (report.summary as Partial<Report['summary']>).start;
  const warnings: string[] = [];
  const recommendations: string[] = [];
  if (!start) return { warnings, recommendations };
  const late = start.clientLatenessMs;
  // Past the limit, the reason the run is not valid says it already.
  if (late && late.max >= NOTABLE_WAIT_MS && !(report.summary.invalidReason ?? '').includes('client lateness')) {
    warnings.push(
      `camera-load started streams late by its own doing (client lateness ${figures(late)}: its event loop, CPU and set-up). ` +
        "The server's figures count from each request leaving and are not affected, but the server carried fewer streams than planned meanwhile.",
    );
  }
  const queue = start.connectQueueMs;
  if (queue && queue.max >= NOTABLE_WAIT_MS) {
    const limit = typeof report.config.connectConcurrency === 'number' ? report.config.connectConcurrency : undefined;
    const slots = limit === undefined ? 'the connect slots' : `the ${plural(limit, 'connect slot')} (--connect-concurrency)`;
    const answers = start.timeToHeadersMs;
    const waited = `Streams waited for a connect slot before their requests left (connect queue ${figures(queue)})`;
    const never = start.requestsNeverSent > 0 ? `; ${plural(start.requestsNeverSent, 'request')} never left before the run ended` : '';
    if (answers && answers.p50 >= SLOW_ANSWER_MS) {
      warnings.push(`${waited}${never}: the server's slow answers held ${slots} (time to headers ${figures(answers)}). The queue is the server's slowness.`);
    } else {
      warnings.push(
        `${waited}${never}: the server answered quickly (time to headers ${answers ? figures(answers) : 'n/a'}), so the queue is camera-load's own limit of ${slots}.`,
      );
      recommendations.push(
        `Raise --connect-concurrency${limit === undefined ? '' : ` above ${int(limit)}`} to open the streams as fast as the server answers.`,
      );
    }
  }
  return { warnings, recommendations };
}
