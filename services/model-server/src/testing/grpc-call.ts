import type { CallOptions, ServiceError } from '@grpc/grpc-js';

type UnaryMethod<Req, Res> = (
  request: Req,
  options: CallOptions,
  callback: (err: ServiceError | null, response?: Res) => void,
) => unknown;

/** Calls a generated unary client method as a promise, with a deadline `timeoutMs` from now. */
export function callUnary<Req, Res>(
  method: UnaryMethod<Req, Res>,
  request: Req,
  timeoutMs = 10000,
): Promise<Res> {
  return new Promise((resolve, reject) => {
    method(request, { deadline: Date.now() + timeoutMs }, (err, response) =>
      err ? reject(err) : resolve(response!),
    );
  });
}

/** The gRPC error a promise rejected with (fails when it resolved). */
export async function grpcError(promise: Promise<unknown>): Promise<ServiceError> {
  try {
    await promise;
  } catch (err) {
    return err as ServiceError;
  }
  throw new Error('expected the call to fail, but it succeeded');
}
