import { status } from '@grpc/grpc-js';

/** The name a failed call is counted under: its gRPC status name, or a short client-side reason. */
export function errorCodeName(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'number' && status[code] !== undefined) return status[code];
  if (typeof code === 'string' && code.length > 0) return code;
  return 'CLIENT_ERROR';
}

/** True when a call failed because the server does not implement the method (yet). */
export function isUnimplemented(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === status.UNIMPLEMENTED;
}
