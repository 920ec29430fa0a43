import type { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import type { CallerIdentity } from './caller-identity';
import type { Logger } from './logger';

/** What a handler knows about the call besides its request message. */
export interface CallContext {
  /** Fully-qualified method, e.g. "/tally.feature.v1.FeatureService/GetFeatureVectors". */
  readonly method: string;
  readonly metadata: Metadata;
  /** The caller's deadline in ms since the epoch; undefined when the caller set none. */
  readonly deadline: number | undefined;
  /** Aborted when the caller cancels or the deadline passes. */
  readonly signal: AbortSignal;
  readonly logger: Logger;
  /** The verified caller (client certificate or bearer token); undefined when anonymous. */
  readonly caller: CallerIdentity | undefined;
  readonly call: ServerUnaryCall<unknown, unknown>;
}

/** Milliseconds left before the call's deadline (Infinity without one). */
export function remainingMs(ctx: Pick<CallContext, 'deadline'>): number {
  return ctx.deadline === undefined ? Infinity : ctx.deadline - Date.now();
}
