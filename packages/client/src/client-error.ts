import { Metadata, status } from '@grpc/grpc-js';

/**
 * A failed call: the gRPC status code (and its name), the server's details, and the method that
 * failed. Every method of the Tally clients rejects with this type only.
 */
export class TallyClientError extends Error {
  /** Status name, e.g. "INVALID_ARGUMENT". */
  readonly codeName: string;

  constructor(
    readonly code: status,
    readonly details: string,
    /** Fully-qualified method, e.g. "/tally.model.v1.ScoringService/Score". */
    readonly method: string,
    readonly metadata: Metadata = new Metadata(),
  ) {
    const codeName = status[code] ?? String(code);
    super(`${method} failed with ${codeName}: ${details}`);
    this.name = 'TallyClientError';
    this.codeName = codeName;
  }

  /** Normalises anything a call rejected with (grpc-js ServiceError or other) into a TallyClientError. */
  static from(err: unknown, method: string): TallyClientError {
    if (err instanceof TallyClientError) return err;
    if (typeof err === 'object' && err !== null && typeof (err as { code?: unknown }).code === 'number') {
      const e = err as { code: number; details?: unknown; message?: unknown; metadata?: unknown };
      const details =
        typeof e.details === 'string' ? e.details : typeof e.message === 'string' ? e.message : '';
      return new TallyClientError(
        e.code in status ? (e.code as status) : status.UNKNOWN,
        details,
        method,
        e.metadata instanceof Metadata ? e.metadata : new Metadata(),
      );
    }
    return new TallyClientError(status.UNKNOWN, err instanceof Error ? err.message : String(err), method);
  }
}
