import { status } from '@grpc/grpc-js';
import { TallyClientError } from '@tally/client';

/** Which service a command was talking to, for messages. */
export interface CallTarget {
  service: 'feature-service' | 'model-server';
  address: string;
}

/**
 * The one line a failed call becomes: the server's own message when it answered (it names the
 * model, feature or field at fault), or what to check when it could not be reached.
 */
export function describeCallFailure(err: unknown, target: CallTarget): string {
  const failure = TallyClientError.from(err, '');
  if (
    failure.code === status.UNAVAILABLE &&
    /certificate|SSL|TLS|handshake|self.signed|wrong version number|socket disconnected|ECONNRESET/i.test(
      failure.details,
    )
  ) {
    return `no secure connection to the ${target.service} at ${target.address}: ${failure.details} (check --tls, --tls-ca, --tls-cert and --tls-key)`;
  }
  if (failure.code === status.UNAUTHENTICATED || failure.code === status.PERMISSION_DENIED) {
    return `the ${target.service} at ${target.address} refused the call (${failure.codeName}): ${failure.details}`;
  }
  if (
    failure.code === status.UNAVAILABLE &&
    /No connection established|ECONNREFUSED|connect/i.test(failure.details)
  ) {
    return `cannot reach the ${target.service} at ${target.address} (is it running? 'pnpm start' starts both services)`;
  }
  if (failure.code === status.DEADLINE_EXCEEDED) {
    return `the ${target.service} at ${target.address} did not answer in time: ${failure.details}`;
  }
  if (failure.code === status.UNKNOWN || failure.code === status.INTERNAL) {
    return `${target.service} failed (${failure.codeName}): ${failure.details}`;
  }
  return failure.details || `${target.service} answered ${failure.codeName}`;
}
