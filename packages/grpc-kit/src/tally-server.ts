import * as grpc from '@grpc/grpc-js';
import { ReflectionService } from '@grpc/reflection';
import type { PackageDefinition } from '@grpc/proto-loader';
import * as protoLoader from '@grpc/proto-loader';
import { HealthImplementation, protoPath as healthProtoPath } from 'grpc-health-check';
import { InFlightCalls } from './in-flight-calls';
import type { Logger } from './logger';
import type { ServiceMetrics } from './metrics';
import { implementUnary } from './unary-handlers';
import { tolerantDefinition } from './undecodable-requests';
import type { UnaryHandlers } from './unary-handlers';

type AnyDefinition = grpc.ServiceDefinition;

const HEALTH_SERVICE = 'grpc.health.v1.Health';

/**
 * The health service name that says only "this process is up and not shutting down", for liveness
 * and startup probes: a server that cannot serve (e.g. no model ready) is not ready, but restarting
 * it would not help.
 */
export const LIVENESS_HEALTH_NAME = 'liveness';

/** What decides a server's health beyond "started and not shutting down" (e.g. models ready). */
export interface HealthSource {
  /** Whether the server can do its job: the overall name '' and every served service report this. */
  ready(): boolean;
  /** Extra health service names (e.g. one per model) and whether each can serve. */
  names(): ReadonlyMap<string, boolean>;
}

/** One gRPC service to serve: its fully-qualified name, generated definition and async handlers. */
export interface ServiceRegistration<D extends AnyDefinition = AnyDefinition> {
  name: string;
  definition: D;
  handlers: UnaryHandlers<D>;
}

/** Helps TypeScript check handlers against their definition. */
export function service<D extends AnyDefinition>(
  name: string,
  definition: D,
  handlers: UnaryHandlers<D>,
): ServiceRegistration {
  return { name, definition, handlers } as unknown as ServiceRegistration;
}

export interface TallyServerOptions {
  host: string;
  port: number;
  services: ServiceRegistration[];
  logger: Logger;
  metrics: ServiceMetrics;
  /** Definitions to expose through server reflection. */
  reflection: PackageDefinition;
  channelOptions?: grpc.ChannelOptions;
}

/**
 * A grpc-js server with health (grpc.health.v1), reflection, typed async handlers and graceful
 * shutdown. Health starts NOT_SERVING; call `setServing(true)` once the service can take traffic.
 */
export class TallyServer {
  readonly inFlight = new InFlightCalls();
  readonly #server: grpc.Server;
  readonly #health: HealthImplementation;
  readonly #serviceNames: string[];
  readonly #logger: Logger;
  #port = 0;
  #shuttingDown: Promise<void> | undefined;
  #serving = false;
  #source: HealthSource | undefined;
  readonly #extraNames = new Set<string>();

  private constructor(options: TallyServerOptions) {
    this.#logger = options.logger;
    this.#server = new grpc.Server(options.channelOptions);
    this.#serviceNames = options.services.map((s) => s.name);
    this.#health = new HealthImplementation(
      Object.fromEntries(
        ['', LIVENESS_HEALTH_NAME, ...this.#serviceNames].map((n) => [n, 'NOT_SERVING' as const]),
      ),
    );
    this.#health.addToServer(this.#server);
    // Reflection lists exactly what this process serves: its services and health.
    const healthDefinition = protoLoader.loadSync(healthProtoPath);
    new ReflectionService(
      { ...options.reflection, ...healthDefinition },
      { services: [...this.#serviceNames, HEALTH_SERVICE] },
    ).addToServer(this.#server);
    for (const s of options.services) {
      this.#server.addService(
        tolerantDefinition(s.definition),
        implementUnary(s.definition, s.handlers, {
          logger: options.logger,
          metrics: options.metrics,
          inFlight: this.inFlight,
        }),
      );
    }
  }

  static async start(options: TallyServerOptions): Promise<TallyServer> {
    const server = new TallyServer(options);
    const address = `${options.host.includes(':') ? `[${options.host}]` : options.host}:${options.port}`;
    server.#port = await new Promise<number>((resolve, reject) => {
      server.#server.bindAsync(address, grpc.ServerCredentials.createInsecure(), (err, port) =>
        err ? reject(new Error(`cannot listen on ${address}: ${err.message}`)) : resolve(port),
      );
    });
    return server;
  }

  /** The port actually bound (useful with GRPC_PORT=0). */
  get port(): number {
    return this.#port;
  }

  /**
   * Marks the server started (or not). Health then reports SERVING for `liveness`, and for '' and
   * every served service when the health source (if any) says ready. Ignored once shutting down.
   */
  setServing(serving: boolean): void {
    if (serving && this.#shuttingDown !== undefined) return;
    this.#serving = serving;
    this.refreshHealth();
  }

  /** Makes readiness (and extra health names) depend on `source`; call `refreshHealth` when it changes. */
  setHealthSource(source: HealthSource): void {
    this.#source = source;
    this.refreshHealth();
  }

  /** Publishes the current health: every name is NOT_SERVING before start and while shutting down. */
  refreshHealth(): void {
    const status = (ok: boolean) => (this.#serving && ok ? 'SERVING' : 'NOT_SERVING');
    const ready = status(this.#source?.ready() ?? true);
    for (const name of ['', ...this.#serviceNames]) this.#health.setStatus(name, ready);
    this.#health.setStatus(LIVENESS_HEALTH_NAME, status(true));
    const names = this.#source?.names() ?? new Map<string, boolean>();
    for (const name of this.#extraNames) if (!names.has(name)) this.#health.setStatus(name, 'NOT_SERVING');
    for (const [name, ok] of names) {
      this.#extraNames.add(name);
      this.#health.setStatus(name, status(ok));
    }
  }

  /**
   * Graceful shutdown: report NOT_SERVING, stop accepting calls, let in-flight calls finish for up
   * to `graceMs`, then force the rest closed. Safe to call more than once.
   */
  shutdown(graceMs: number): Promise<void> {
    this.#shuttingDown ??= new Promise<void>((resolve) => {
      this.#serving = false;
      this.refreshHealth();
      this.#logger.info('shutting down', { in_flight: this.inFlight.count, grace_ms: graceMs });
      const force = setTimeout(() => {
        this.#logger.warn('grace period over, forcing shutdown', { in_flight: this.inFlight.count });
        this.#server.forceShutdown();
        resolve();
      }, graceMs);
      this.#server.tryShutdown(() => {
        clearTimeout(force);
        resolve();
      });
    });
    return this.#shuttingDown;
  }
}
