import type { ReportSummary } from '../report/report-types.js';
import { LevelBisection } from './level-bisection.js';
import type { MaxReport, TrialRecord } from './max-report.js';
import { judgeTrial, type StabilityCriteria, type TrialMeasure } from './stability.js';
import { defined } from '../defined.js';

/**
 * The search for the highest stable level, as data: which level next, each trial judged and recorded, and the
 * rule that the lowest stable level sets the frame rate every other level is held to. No I/O: trials are run
 * by the caller and handed in.
 */
export class MaxSearch {
  readonly trials: TrialRecord[] = [];
  /** Why the search stopped early because camera-load itself was the limit. */
  boundedByClient: string | undefined;
  private readonly search: LevelBisection;
  private referenceFps: number | undefined;
  private referenceLevel: number | undefined;

  constructor(
    start: number,
    min: number,
    precision: number,
    private readonly criteria: StabilityCriteria,
  ) {
    this.search = new LevelBisection(start, min, precision);
  }

  /** The next level to try, or undefined when the search is over (or the client was the limit). */
  next(): number | undefined {
    return this.boundedByClient === undefined ? this.search.next() : undefined;
  }

  record(measure: TrialMeasure, summary: ReportSummary): TrialRecord {
    const verdict = judgeTrial(measure, this.criteria, this.referenceFps);
    if (verdict.stable && (this.referenceLevel === undefined || measure.level < this.referenceLevel)) {
      this.referenceLevel = measure.level;
      this.referenceFps = measure.fpsPerStream;
    }
    const record: TrialRecord = { index: this.trials.length + 1, ...measure, verdict, summary };
    this.trials.push(record);
    // A saturated client says nothing about the server: the search stops, its answer a lower bound.
    if (summary.valid) this.search.record(measure.level, verdict.stable);
    else this.boundedByClient = summary.invalidReason ?? 'camera-load itself was saturated';
    return record;
  }

  get answer(): number | undefined {
    return this.search.answer;
  }

  result(): MaxReport['result'] {
    const answer = this.search.answer;
    const atAnswer = this.trials.find((t) => t.level === answer);
    return {
      maxStableStreams: answer ?? null,
      fpsPerStreamAtMax: atAnswer ? atAnswer.fpsPerStream : null,
      referenceFpsPerStream: this.referenceFps ?? null,
      boundedByClient: this.boundedByClient !== undefined,
      ...defined({ boundedByClientReason: this.boundedByClient }),
      trials: this.trials.length,
    };
  }
}
