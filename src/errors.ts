import { ExitCode } from './exit-codes.js';

/** Base class: every error camera-load raises on purpose has a stable code and the exit code it maps to. */
export abstract class CameraLoadError extends Error {
  abstract readonly code: string;
  abstract readonly exitCode: ExitCode;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A bad flag or option value: nothing was run. */
export class UsageError extends CameraLoadError {
  readonly code = 'ERR_USAGE';
  readonly exitCode = ExitCode.USAGE;
}

/** The camera source (API, file) failed or answered something unusable. */
export class CameraSourceError extends CameraLoadError {
  readonly exitCode = ExitCode.CAMERA_SOURCE;

  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * An output (report, log, JUnit) that cannot be written where asked, or two outputs naming one file: found
 * before anything runs, so nothing is measured for nothing.
 */
export class OutputError extends CameraLoadError {
  readonly exitCode = ExitCode.USAGE;

  constructor(
    readonly code: 'ERR_OUTPUT_NOT_WRITABLE' | 'ERR_OUTPUT_CONFLICT',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
