import { UsageError } from '../errors.js';

export type MergeErrorCode =
  | 'ERR_MERGE_NOT_A_REPORT'
  | 'ERR_MERGE_DIFFERENT_PLANS'
  | 'ERR_MERGE_DUPLICATE_SHARD'
  | 'ERR_MERGE_MISSING_SHARD'
  | 'ERR_MERGE_MIXED_SCHEMAS'
  | 'ERR_MERGE_DIFFERENT_TIMES';

/** Reports that cannot be merged into one exact report: nothing is written (exit 2). */
export class MergeError extends UsageError {
  constructor(code: MergeErrorCode, message: string, options?: { cause?: unknown }) {
    super(`${message} (${code})`, { ...options, code });
  }
}
