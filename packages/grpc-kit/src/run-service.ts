import { packageDefinition } from '@tally/contracts';
import { ConfigError, describeConfig, loadConfig } from './config';
import { connectionAgeOptions } from './connection-age';
import type { ConfigOf, ConfigSpec } from './config';
import { Logger } from './logger';
import type { LogLevel } from './logger';
import { ServiceMetrics, startMetricsServer } from './metrics';
import type { serverConfigSpec } from './server-config';
import { TallyServer } from './tally-server';
import type { ServiceRegistration } from './tally-server';

type ServerSpec = ReturnType<typeof serverConfigSpec>;

/** What a service's `setup` receives. */
export interface ServiceKit<S extends ConfigSpec> {
  config: ConfigOf<S & ServerSpec>;
  logger: Logger;
  metrics: ServiceMetrics;
}

/** What a service's `setup` returns. */
export interface ServiceParts {
  services: ServiceRegistration[];
  /** Called after the gRPC server is up; may do slow work (model loading) before traffic. */
  onListening?: (server: TallyServer) => Promise<void> | void;
  /** Releases resources (store connections, workers) after the server has drained. */
  close?: () => Promise<void> | void;
}

export interface RunServiceOptions<S extends ConfigSpec> {
  name: string;
  configSpec: S & ServerSpec;
  setup: (kit: ServiceKit<S>) => Promise<ServiceParts> | ServiceParts;
}

/**
 * Runs a service process: validates config (exit 2 naming each bad variable), starts metrics and the
 * gRPC server, marks it SERVING, and on SIGTERM/SIGINT drains and exits 0.
 */
export async function runService<S extends ConfigSpec>(options: RunServiceOptions<S>): Promise<TallyServer> {
  if (process.argv.includes('--describe-config')) {
    // The spec as JSON, so docs and deployment checks read the same source of truth as the code.
    process.stdout.write(`${JSON.stringify(describeConfig(options.configSpec), null, 2)}\n`);
    process.exit(0);
  }
  let config: ConfigOf<S & ServerSpec>;
  try {
    config = loadConfig(options.configSpec);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${options.name}: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const base = config as unknown as ConfigOf<ServerSpec>;
  const logger = new Logger(options.name, base.LOG_LEVEL as LogLevel);
  const metrics = new ServiceMetrics(options.name);
  let server: TallyServer | undefined;
  try {
    const parts = await options.setup({ config, logger, metrics });
    const metricsServer = await startMetricsServer(metrics, base.GRPC_HOST, base.METRICS_PORT);
    server = await TallyServer.start({
      host: base.GRPC_HOST,
      port: base.GRPC_PORT,
      services: parts.services,
      logger,
      metrics,
      reflection: packageDefinition(),
      channelOptions: connectionAgeOptions(base),
    });
    const running = server;
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info('signal received', { signal });
      running
        .shutdown(base.SHUTDOWN_GRACE_MS)
        .then(async () => {
          await parts.close?.();
          metricsServer?.close();
          logger.info('stopped');
          process.exit(0);
        })
        .catch((err: unknown) => {
          logger.error('shutdown failed', { err });
          process.exit(1);
        });
    };
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
    await parts.onListening?.(running);
    running.setServing(true);
    logger.info('listening', {
      grpc_port: running.port,
      metrics_port: base.METRICS_PORT,
      services: parts.services.map((s) => s.name),
    });
    return running;
  } catch (err) {
    logger.error('start-up failed', { err });
    process.stderr.write(
      `${options.name}: start-up failed: ${err instanceof Error ? err.message : String(err)}\n`,
    );
    process.exit(1);
  }
}
