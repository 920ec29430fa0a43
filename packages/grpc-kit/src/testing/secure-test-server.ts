/** An in-process TallyServer built from security settings, for grpc-kit's TLS and authorization tests. */
import fs from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import {
  SERVICE_NAMES,
  createFeatureServiceClient,
  featureServiceDefinition,
  packageDefinition,
} from '@tally/contracts';
import type { CallContext } from '../call-context';
import { Logger } from '../logger';
import { ServiceMetrics } from '../metrics';
import type { SecuritySettings } from '../security-config';
import { serverSecurity } from '../server-security';
import { TallyServer, service } from '../tally-server';
import { unimplementedHandlers } from '../unimplemented';

export const NO_SECURITY: SecuritySettings = {
  TLS_CERT_FILE: '',
  TLS_KEY_FILE: '',
  TLS_CLIENT_CA_FILE: '',
  TLS_RELOAD_INTERVAL_MS: 60000,
  AUTHZ_POLICY_FILE: '',
  AUTHZ_TOKENS_FILE: '',
  HEALTH_PORT: 0,
};

export interface SecureTestServer {
  server: TallyServer;
  address: string;
  metrics: ServiceMetrics;
  /** Parsed JSON log records. */
  logs: Array<Record<string, unknown>>;
  /** The CallContext of every call that reached a handler. */
  contexts: CallContext[];
  stop(): Promise<void>;
}

/** FeatureService whose ListFeatureSets, DescribeFeatureSet and WriteFeatureRows answer. */
export async function startSecureTestServer(settings: Partial<SecuritySettings>): Promise<SecureTestServer> {
  const logs: Array<Record<string, unknown>> = [];
  const logger = new Logger('test', 'debug', (line) =>
    logs.push(JSON.parse(line) as Record<string, unknown>),
  );
  const metrics = new ServiceMetrics('test');
  const contexts: CallContext[] = [];
  const security = serverSecurity({ ...NO_SECURITY, ...settings }, { logger, metrics });
  const server = await TallyServer.start({
    host: '127.0.0.1',
    port: 0,
    logger,
    metrics,
    reflection: packageDefinition(),
    credentials: security.credentials,
    interceptors: security.interceptors,
    healthPort: security.healthPort,
    services: [
      service(
        SERVICE_NAMES.feature,
        featureServiceDefinition(),
        unimplementedHandlers(featureServiceDefinition(), {
          ListFeatureSets: (_request, ctx) => {
            contexts.push(ctx);
            return { featureSets: [] };
          },
          DescribeFeatureSet: (_request, ctx) => {
            contexts.push(ctx);
            return {};
          },
          WriteFeatureRows: (_request, ctx) => {
            contexts.push(ctx);
            return { rowsWritten: 0, rowsIgnoredOlder: 0 };
          },
        }),
      ),
    ],
  });
  server.setServing(true);
  return {
    server,
    address: `127.0.0.1:${server.port}`,
    metrics,
    logs,
    contexts,
    stop: async () => {
      await server.shutdown(1000);
      security.close();
    },
  };
}

/** TLS channel credentials from PEM files (a client certificate when cert and key are given). */
export function sslCredentials(ca: string, cert?: string, key?: string): grpc.ChannelCredentials {
  return grpc.credentials.createSsl(
    fs.readFileSync(ca),
    key === undefined ? null : fs.readFileSync(key),
    cert === undefined ? null : fs.readFileSync(cert),
  );
}

/** The outcome of one call: its status code and details (0 and '' when it succeeded). */
export interface CallOutcome {
  code: grpc.status;
  details: string;
}

type Method = 'ListFeatureSets' | 'DescribeFeatureSet' | 'WriteFeatureRows';

/** Makes one call on a fresh channel (so a new connection and handshake), then closes it. */
export function callOnce(
  address: string,
  credentials: grpc.ChannelCredentials,
  method: Method = 'ListFeatureSets',
  metadata: Record<string, string> = {},
): Promise<CallOutcome> {
  const client = createFeatureServiceClient(address, credentials);
  const md = new grpc.Metadata();
  for (const [k, v] of Object.entries(metadata)) md.set(k, v);
  const request =
    method === 'DescribeFeatureSet' ? { name: 'x' } : method === 'WriteFeatureRows' ? { rows: [] } : {};
  return new Promise<CallOutcome>((resolve) => {
    const fn = (client as unknown as Record<Method, (...args: unknown[]) => void>)[method];
    fn.call(client, request, md, { deadline: Date.now() + 10000 }, (err: grpc.ServiceError | null) => {
      client.close();
      resolve(err ? { code: err.code, details: err.details } : { code: grpc.status.OK, details: '' });
    });
  });
}
