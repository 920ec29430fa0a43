import type { HealthSource } from '@tally/grpc-kit';
import type { ModelRegistry } from './model-registry';

/** The grpc.health.v1 service name of one model: SERVING while a version of it is READY. */
export function modelHealthName(model: string): string {
  return `model/${model}`;
}

/**
 * The model-server's health: ready (the overall name '' and both gRPC services SERVING) only while
 * every configured model has a READY version, so a server whose models all failed to load is taken
 * out of rotation instead of answering UNAVAILABLE to every Score. A model unloaded with UnloadModel
 * no longer counts. Each model also has its own name (`model/<name>`), for probes and dashboards
 * that care about one model.
 */
export function modelHealthSource(registry: ModelRegistry): HealthSource {
  return {
    ready: () => registry.serverReady(),
    names: () => new Map(registry.list().map((m) => [modelHealthName(m.name), registry.isReady(m.name)])),
  };
}
