import { Metadata, status } from '@grpc/grpc-js';
import type { ServiceError } from '@grpc/grpc-js';
import { TallyError } from './errors';

/** What a failed call sends back: a gRPC status code and a message. */
export interface StatusReply {
  code: status;
  details: string;
}

function isGrpcError(err: unknown): err is { code: number; details?: string; message: string } {
  return (
    typeof err === 'object' &&
    err !== null &&
    typeof (err as { code?: unknown }).code === 'number' &&
    (err as { code: number }).code in status &&
    typeof (err as { message?: unknown }).message === 'string'
  );
}

/**
 * The one place where anything thrown by a handler becomes a gRPC status.
 * - TallyError subclasses carry their own code.
 * - A gRPC error from a downstream call keeps its code (a dependency's INVALID_ARGUMENT stays one).
 * - Anything else is an INTERNAL error; its message is kept, its stack is logged, not sent.
 */
export function toStatus(err: unknown): StatusReply {
  if (err instanceof TallyError) return { code: err.code, details: err.message };
  if (isGrpcError(err)) return { code: err.code, details: err.details ?? err.message };
  const message = err instanceof Error ? err.message : String(err);
  return { code: status.INTERNAL, details: `internal error: ${message}` };
}

/** `toStatus` in the shape grpc-js callbacks take. */
export function toServiceError(err: unknown): Partial<ServiceError> {
  const { code, details } = toStatus(err);
  return { code, details, metadata: new Metadata() };
}

/** Status code name for logs and metrics labels, e.g. "INVALID_ARGUMENT". */
export function statusName(code: status): string {
  return status[code] ?? String(code);
}
