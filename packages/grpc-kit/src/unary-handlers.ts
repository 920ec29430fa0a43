import type {
  ServerUnaryCall,
  ServiceDefinition,
  UntypedServiceImplementation,
  sendUnaryData,
} from '@grpc/grpc-js';
import type { MethodDefinition } from '@grpc/proto-loader';
import type { CallContext } from './call-context';
import { DeadlineExceededError, InvalidArgumentError } from './errors';
import type { Logger } from './logger';
import type { ServiceMetrics } from './metrics';
import { statusName, toServiceError, toStatus } from './status-mapping';
import type { InFlightCalls } from './in-flight-calls';
import { undecodableReason } from './undecodable-requests';

/** An async unary handler: returns the response or throws (a TallyError, ideally). */
export type UnaryHandler<Req, Res> = (request: Req, ctx: CallContext) => Promise<Res> | Res;

/** Handlers for every method of a generated service definition, typed by it (index signature dropped). */
/* eslint-disable @typescript-eslint/no-explicit-any -- `any` only where generated types are matched */
export type UnaryHandlers<D> = {
  [K in keyof D as string extends K ? never : K]: D[K] extends MethodDefinition<
    any,
    infer Res,
    infer ReqOut,
    any
  >
    ? UnaryHandler<ReqOut, Res>
    : never;
};
/* eslint-enable @typescript-eslint/no-explicit-any */

export interface HandlerHooks {
  logger: Logger;
  metrics: ServiceMetrics;
  inFlight: InFlightCalls;
}

function deadlineOf(call: ServerUnaryCall<unknown, unknown>): number | undefined {
  const d = call.getDeadline();
  const ms = d instanceof Date ? d.getTime() : Number(d);
  return Number.isFinite(ms) ? ms : undefined;
}

/**
 * Turns async handlers into a grpc-js implementation. Every call is counted in flight (graceful
 * shutdown waits for them), timed into the RPC histogram, given an AbortSignal for cancellation and
 * deadline, and every error goes through the one status mapping.
 */
export function implementUnary<D extends ServiceDefinition>(
  definition: D,
  handlers: UnaryHandlers<D>,
  hooks: HandlerHooks,
): UntypedServiceImplementation {
  const implementation: UntypedServiceImplementation = {};
  for (const key of Object.keys(definition)) {
    const method = definition[key]!;
    const handler = (handlers as Record<string, unknown>)[key] as UnaryHandler<unknown, unknown>;
    const path = method.path;
    implementation[key] = (call: ServerUnaryCall<unknown, unknown>, callback: sendUnaryData<unknown>) => {
      const started = process.hrtime.bigint();
      const done = hooks.inFlight.begin();
      const controller = new AbortController();
      const deadline = deadlineOf(call);
      let timer: NodeJS.Timeout | undefined;
      if (deadline !== undefined) {
        timer = setTimeout(
          () => controller.abort(new DeadlineExceededError(`deadline of ${path} passed`)),
          Math.max(0, deadline - Date.now()),
        );
      }
      const onCancel = () => controller.abort(new DeadlineExceededError(`${path} cancelled by the client`));
      call.once('cancelled', onCancel);
      const finish = (err: unknown, response?: unknown) => {
        if (timer) clearTimeout(timer);
        call.removeListener('cancelled', onCancel);
        const code = err === undefined ? 0 : toStatus(err).code;
        hooks.metrics.rpcDuration.observe(
          { method: key, code: statusName(code) },
          Number(process.hrtime.bigint() - started) / 1e9,
        );
        if (err === undefined) {
          callback(null, response);
        } else {
          const serviceError = toServiceError(err);
          if (serviceError.code === 13) hooks.logger.error('internal error', { method: path, err });
          callback(serviceError);
        }
        done();
      };
      const ctx: CallContext = {
        method: path,
        metadata: call.metadata,
        deadline,
        signal: controller.signal,
        logger: hooks.logger,
        call,
      };
      const undecodable = undecodableReason(call.request);
      if (undecodable !== undefined) {
        finish(
          new InvalidArgumentError('request', `not a valid request message for ${path} (${undecodable})`),
        );
        return;
      }
      try {
        Promise.resolve(handler(call.request, ctx)).then(
          (response) => finish(undefined, response),
          (err: unknown) => finish(err),
        );
      } catch (err) {
        finish(err);
      }
    };
  }
  return implementation;
}
