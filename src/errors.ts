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

/** A bad flag, option value or input file: nothing was run (exit 2). `code` names the cause where one is known. */
export class UsageError extends CameraLoadError {
  readonly code: string;
  readonly exitCode = ExitCode.USAGE;

  constructor(message: string, options?: { cause?: unknown; code?: string }) {
    super(message, options);
    this.code = options?.code ?? 'ERR_USAGE';
  }
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
export class OutputError extends UsageError {
  constructor(code: 'ERR_OUTPUT_NOT_WRITABLE' | 'ERR_OUTPUT_CONFLICT', message: string, options?: { cause?: unknown }) {
    super(message, { ...options, code });
  }
}
