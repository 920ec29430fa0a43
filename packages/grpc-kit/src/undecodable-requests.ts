import type { ServiceDefinition } from '@grpc/grpc-js';

const UNDECODABLE = Symbol('undecodable request');

/** What a request decodes to when its bytes are not a valid message of the method's type. */
interface Undecodable {
  readonly [UNDECODABLE]: string;
}

/**
 * A copy of `definition` whose request decoding never throws. grpc-js answers INTERNAL to a request
 * it cannot decode, but bytes that are not a valid message are the caller's fault: decoding failures
 * become a marker that `undecodableReason` finds, so the handler wrapper can answer INVALID_ARGUMENT.
 */
export function tolerantDefinition<D extends ServiceDefinition>(definition: D): D {
  const out: Record<string, unknown> = {};
  for (const [key, method] of Object.entries(definition)) {
    out[key] = {
      ...method,
      requestDeserialize: (bytes: Buffer): unknown => {
        try {
          return method.requestDeserialize(bytes);
        } catch (err) {
          return { [UNDECODABLE]: err instanceof Error ? err.message : String(err) } satisfies Undecodable;
        }
      },
    };
  }
  return out as D;
}

/** Why a request could not be decoded, or undefined for a decoded request. */
export function undecodableReason(request: unknown): string | undefined {
  return typeof request === 'object' && request !== null && UNDECODABLE in request
    ? (request as Undecodable)[UNDECODABLE]
    : undefined;
}
