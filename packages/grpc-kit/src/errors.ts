import { status } from '@grpc/grpc-js';

/**
 * Tally's error types. Code throws these; `toServiceError` (the only place that maps errors to gRPC
 * status codes) turns them into what the caller receives. Messages name the field, thing or
 * dependency at fault, so a caller can act on them.
 */
export class TallyError extends Error {
  constructor(
    readonly code: status,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** A request field is missing, mistyped or out of range. `field` is its path, e.g. `entities[3].keys.applicant_id`. */
export class InvalidArgumentError extends TallyError {
  constructor(
    readonly field: string,
    problem: string,
  ) {
    super(status.INVALID_ARGUMENT, `${field}: ${problem}`);
  }
}

/** A named thing (model, version, feature set, feature view) does not exist. */
export class NotFoundError extends TallyError {
  constructor(
    readonly kind: string,
    readonly thing: string,
    hint = '',
  ) {
    super(status.NOT_FOUND, `${kind} not found: '${thing}'${hint ? ` (${hint})` : ''}`);
  }
}

/** A dependency (store, feature-service, inference worker) cannot be reached or failed. */
export class UnavailableError extends TallyError {
  constructor(
    readonly dependency: string,
    reason: string,
  ) {
    super(status.UNAVAILABLE, `${dependency} unavailable: ${reason}`);
  }
}

/** Load is being shed (a full queue, too many requests). Retrying later may succeed. */
export class ResourceExhaustedError extends TallyError {
  constructor(message: string) {
    super(status.RESOURCE_EXHAUSTED, message);
  }
}

/** The caller's deadline (or a queue timeout) passed before the work was done. */
export class DeadlineExceededError extends TallyError {
  constructor(message: string) {
    super(status.DEADLINE_EXCEEDED, message);
  }
}

/** The request is valid but the system is not in a state to serve it (e.g. a model that failed to load). */
export class FailedPreconditionError extends TallyError {
  constructor(message: string) {
    super(status.FAILED_PRECONDITION, message);
  }
}

/** The RPC exists in the contract but is not built yet. */
export class UnimplementedError extends TallyError {
  constructor(method: string, detail = 'not implemented yet') {
    super(status.UNIMPLEMENTED, `${method} is ${detail}`);
  }
}

/** The caller cancelled the call. */
export class CancelledError extends TallyError {
  constructor(message = 'call cancelled by the client') {
    super(status.CANCELLED, message);
  }
}
