import type { ServiceDefinition } from '@grpc/grpc-js';
import { UnimplementedError } from './errors';
import type { UnaryHandlers } from './unary-handlers';

/**
 * Handlers for every method of `definition` that answer UNIMPLEMENTED naming the method, so a
 * contract can be served before it is built. `overrides` supplies the methods that are built.
 */
export function unimplementedHandlers<D extends ServiceDefinition>(
  definition: D,
  overrides: Partial<UnaryHandlers<D>> = {},
): UnaryHandlers<D> {
  const handlers: Record<string, unknown> = {};
  for (const key of Object.keys(definition)) {
    const path = definition[key]!.path;
    handlers[key] =
      (overrides as Record<string, unknown>)[key] ??
      (() => {
        throw new UnimplementedError(path);
      });
  }
  return handlers as UnaryHandlers<D>;
}
