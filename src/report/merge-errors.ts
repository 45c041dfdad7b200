import { CameraLoadError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';

export type MergeErrorCode = 'ERR_MERGE_NOT_A_REPORT' | 'ERR_MERGE_DIFFERENT_PLANS' | 'ERR_MERGE_DUPLICATE_SHARD' | 'ERR_MERGE_MISSING_SHARD';

/** Reports that cannot be merged into one exact report: nothing is written (exit 2). */
export class MergeError extends CameraLoadError {
  readonly exitCode = ExitCode.USAGE;

  constructor(
    readonly code: MergeErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${message} (${code})`, options);
  }
}
