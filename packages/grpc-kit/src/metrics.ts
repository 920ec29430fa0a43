import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Prometheus metrics of one service: a registry with process metrics and the RPC latency histogram
 * every service shares. Services register their own metrics on `registry`.
 */
export class ServiceMetrics {
  readonly registry = new Registry();
  readonly rpcDuration: Histogram<'method' | 'code'>;

  constructor(service: string) {
    this.registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: this.registry });
    this.rpcDuration = new Histogram({
      name: 'tally_rpc_duration_seconds',
      help: 'Server-side duration of unary RPCs, by method and gRPC status code.',
      labelNames: ['method', 'code'],
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [this.registry],
    });
  }
}

/** Serves `GET /metrics` in the Prometheus text format. Port 0 disables it (returns undefined). */
export async function startMetricsServer(
  metrics: ServiceMetrics,
  host: string,
  port: number,
): Promise<http.Server | undefined> {
  if (port === 0) return undefined;
  const server = http.createServer((req, res) => {
    if (req.url !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try /metrics\n');
      return;
    }
    metrics.registry.metrics().then(
      (body) => res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(body),
      (err: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(String(err)),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  server.unref();
  return server;
}

export function boundPort(server: http.Server): number {
  return (server.address() as AddressInfo).port;
}
