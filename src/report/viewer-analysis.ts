import { topErrors } from './error-counts.js';
import type { Report, ViewerGroupReport } from './report-types.js';

// What the viewer groups mean in plain words: whether the server felt each group, and whether the normal viewers
// were hurt. A group camera-load slowed on purpose is never read as the server's fault: its delays are its own.

type RunReport = Omit<Report, 'analysis' | 'thresholds'>;

const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const plural = (n: number, word: string): string => `${int(n)} ${word}${n === 1 ? '' : 's'}`;
const capital = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

/** Whether, and when, the server felt one slow, pausing or stuck group. */
function fillSentence(group: ViewerGroupReport): string | undefined {
  const fill = group.fill;
  if (fill === undefined || fill.of === 0) return undefined;
  const who = `the ${group.group} viewers (each ${group.behaviour})`;
  const skipped = group.summary.freshness.skippedFrames;
  const ended = topErrors(group.summary.errors, Infinity);
  const signs = [
    skipped !== undefined && skipped !== null && skipped > 0 ? `it skipped ${plural(skipped, 'frame')} for them` : undefined,
    ended === '' ? undefined : `their connections ended: ${ended}`,
  ].filter((s) => s !== undefined);
  if (fill.felt > 0) {
    const when =
      fill.p50Seconds === null
        ? `${int(fill.felt)} of ${int(fill.of)} of them, the first ${fill.maxSeconds ?? 0} s after they began`
        : `${fill.p50Seconds} s after they began (half of them; ${int(fill.felt)} of ${int(fill.of)} by ${fill.maxSeconds ?? 0} s)`;
    return `The server felt ${who} ${when}: ${signs.join('; ')}.`;
  }
  if (fill.skipsKnown < fill.of) {
    return `camera-load cannot tell whether the server felt ${who}: their frames carry no capture times, and no connection of theirs ended.`;
  }
  const delay = group.summary.freshness.delayMs;
  const held = delay.count > 0 ? `; their queueing delay reached p95 ${int(delay.p95)} ms, max ${int(delay.max)} ms` : '';
  const absorbed = group.group === 'pausing' ? ': every pause was absorbed whole' : '';
  return capital(
    `the server showed no sign of feeling ${who}: no frame skipped for them, no connection ended. The kernel's buffers (or a queue of the server's) held what they did not read${absorbed}${held}.`,
  );
}

/** Pure: the groups' sentences: the isolation verdict for the assessment, whether the server felt each group for the warnings. */
export function viewerFindings(report: RunReport): { assessment: string; warnings: string[] } {
  const groups = report.viewerGroups ?? [];
  const isolation = groups.find((g) => g.group === 'normal')?.isolation;
  return {
    assessment: isolation === undefined ? '' : ` Viewer groups: ${isolation.verdict}.`,
    warnings: groups.flatMap((g) => fillSentence(g) ?? []),
  };
}
