/**
 * Exit codes, as NeMo's CLI and `kubectl diff` use them, so a pipeline can
 * branch on what went wrong.
 */
export const EXIT = {
  /** Done: applied, reached the awaited state, nothing to diff. */
  ok: 0,
  /** The deployment failed or the wait timed out; `diff`: something would change. */
  failed: 1,
  /** The command line or a document is wrong; nothing was sent. */
  usage: 2,
  /** The API refused or could not be reached (401, 403, 404, 409, 422, 5xx, network). */
  api: 3,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A problem with what the user wrote (flags, files, documents): exit 2. */
export class UsageError extends Error {
  readonly exitCode = EXIT.usage;
}

/** The API answered with an error, or could not be reached: exit 3. */
export class ApiError extends Error {
  readonly exitCode = EXIT.api;

  constructor(
    /** The HTTP status, or 0 when no answer came. */
    readonly status: number,
    message: string,
    /** The API's stable error code (`deployment/not_found`), when it sent one. */
    readonly code?: string,
  ) {
    super(message);
  }
}

/** A wait that ended without reaching its target: exit 1. */
export class WaitFailedError extends Error {
  readonly exitCode = EXIT.failed;
}
