/**
 * The one error type that carries a message fit for the person who asked. Anything else
 * that reaches the edge is reported as an internal error with a correlation id.
 */
export type OpsErrorCode =
  | 'usage' // bad arguments: the message says what was expected
  | 'forbidden' // the user's role does not allow it
  | 'rate_limited'
  | 'not_found'
  | 'conflict'
  | 'expired'
  | 'upstream' // SVP (or another dependency) failed; details say how
  | 'config';

export class OpsError extends Error {
  constructor(
    readonly code: OpsErrorCode,
    /** Shown to the user as is: one or two plain sentences, never a secret. */
    readonly userMessage: string,
    options?: { cause?: unknown },
  ) {
    super(userMessage, options);
    this.name = 'OpsError';
  }
}

export const isOpsError = (err: unknown): err is OpsError => err instanceof OpsError;
