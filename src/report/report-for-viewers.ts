import type { ViewerGroup } from '../viewers.js';
import type { Report, StreamReport } from './report-types.js';

/** A stream's group: streams of reports without groups were all normal. */
export const groupOf = (stream: Pick<StreamReport, 'viewers'>): ViewerGroup => stream.viewers ?? 'normal';

/**
 * The report seen through one viewer group: its summary is the group's and its streams are the group's, so that
 * whatever reads a report (a threshold's metric, a summary, a page) reads the group with no change. A run without
 * groups had only normal viewers: `normal` is then the whole report. null: the run had no such group (a group that
 * did not exist has no figures, and a threshold on it fails).
 */
export function reportForViewers<R extends Pick<Report, 'viewerGroups' | 'summary' | 'streams'>>(report: R, group: ViewerGroup): R | null {
  if (report.viewerGroups === undefined) return group === 'normal' ? report : null;
  const groupReport = report.viewerGroups.find((g) => g.group === group);
  if (groupReport === undefined) return null;
  return {
    ...report,
    summary: groupReport.summary,
    streams: report.streams.filter((stream) => groupOf(stream) === group),
    // The view holds one group: narrowing it again to the same group gives the same view.
    viewerGroups: [groupReport],
  };
}
