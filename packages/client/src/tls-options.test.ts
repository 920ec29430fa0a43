/**
 * Client TLS, mTLS and bearer tokens against real grpc-js servers (grpc-kit's TallyServer with the
 * credentials and authorization the services use), with certificates made by openssl for the test.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { SERVICE_NAMES, featureServiceDefinition, packageDefinition } from '@tally/contracts';
import {
  Logger,
  ServiceMetrics,
  TallyServer,
  hashToken,
  serverSecurity,
  service,
  unimplementedHandlers,
} from '@tally/grpc-kit';
import type { CallContext, SecuritySettings } from '@tally/grpc-kit';
import { TestCertificateAuthority, freePort, replaceFile } from '@tally/testkit';
import { TallyClientError } from './client-error';
import { FeatureClient } from './feature-client';
import { createTallyClient } from './tally-client';

jest.setTimeout(60_000);

const NONE: SecuritySettings = {
  TLS_CERT_FILE: '',
  TLS_KEY_FILE: '',
  TLS_CLIENT_CA_FILE: '',
  TLS_RELOAD_INTERVAL_MS: 60000,
  AUTHZ_POLICY_FILE: '',
  AUTHZ_TOKENS_FILE: '',
  HEALTH_PORT: 0,
};

async function startServer(settings: Partial<SecuritySettings>, port = 0, contexts: CallContext[] = []) {
  const logger = new Logger('client-tls-test', 'error', () => undefined);
  const metrics = new ServiceMetrics('client-tls-test');
  const security = serverSecurity({ ...NONE, ...settings }, { logger, metrics });
  const server = await TallyServer.start({
    host: '127.0.0.1',
    port,
    logger,
    metrics,
    reflection: packageDefinition(),
    credentials: security.credentials,
    interceptors: security.interceptors,
    services: [
      service(
        SERVICE_NAMES.feature,
        featureServiceDefinition(),
        unimplementedHandlers(featureServiceDefinition(), {
          ListFeatureSets: (_request, ctx) => {
            contexts.push(ctx);
            return { featureSets: [{ name: 'served', description: '', width: 0, fingerprint: '' }] };
          },
        }),
      ),
    ],
  });
  server.setServing(true);
  return server;
}

async function failure(call: Promise<unknown>): Promise<TallyClientError> {
  try {
    await call;
  } catch (err) {
    if (err instanceof TallyClientError) return err;
    throw err;
  }
  throw new Error('the call succeeded; a failure was expected');
}

describe('client TLS options', () => {
  let ca: TestCertificateAuthority;
  let otherCa: TestCertificateAuthority;
  beforeAll(() => {
    ca = TestCertificateAuthority.create('client');
    otherCa = TestCertificateAuthority.create('client-other');
  });
  afterAll(() => {
    ca.remove();
    otherCa.remove();
  });

  it('speaks mTLS with a CA file and a client certificate, through createTallyClient too', async () => {
    const cert = ca.issueServer();
    const server = await startServer({
      TLS_CERT_FILE: cert.cert,
      TLS_KEY_FILE: cert.key,
      TLS_CLIENT_CA_FILE: ca.cert,
    });
    const me = ca.issue({ cn: 'checkout' });
    const address = `127.0.0.1:${server.port}`;
    const client = createTallyClient({
      featureService: address,
      options: { retries: false, tls: { caFile: ca.cert, certFile: me.cert, keyFile: me.key } },
    });
    const withoutCert = new FeatureClient(address, { retries: false, tls: { caFile: ca.cert } });
    try {
      expect((await client.features.listFeatureSets()).featureSets[0]?.name).toBe('served');
      expect((await failure(withoutCert.listFeatureSets())).code).toBe(grpc.status.UNAVAILABLE);
    } finally {
      client.close();
      withoutCert.close();
      await server.shutdown(1000);
    }
  });

  it('verifies the server under serverName when the address does not carry it', async () => {
    const cert = ca.issue({ cn: 'feature-service', san: ['DNS:feature-service.tally.svc'] });
    const server = await startServer({ TLS_CERT_FILE: cert.cert, TLS_KEY_FILE: cert.key });
    const address = `127.0.0.1:${server.port}`;
    const named = new FeatureClient(address, {
      retries: false,
      tls: { caFile: ca.cert, serverName: 'feature-service.tally.svc' },
    });
    const unnamed = new FeatureClient(address, { retries: false, tls: { caFile: ca.cert } });
    try {
      expect((await named.listFeatureSets()).featureSets).toHaveLength(1);
      expect((await failure(unnamed.listFeatureSets())).code).toBe(grpc.status.UNAVAILABLE);
    } finally {
      named.close();
      unnamed.close();
      await server.shutdown(1000);
    }
  });

  it('re-reads the CA file: a reconnect after a rotation trusts the new CA, with the same client', async () => {
    const port = await freePort();
    const caFile = path.join(ca.dir, 'client-live-ca.crt');
    fs.copyFileSync(ca.cert, caFile);
    const first = ca.issueServer();
    let server = await startServer({ TLS_CERT_FILE: first.cert, TLS_KEY_FILE: first.key }, port);
    const client = new FeatureClient(`127.0.0.1:${port}`, {
      retries: false,
      tls: { caFile, reloadIntervalMs: 100 },
    });
    try {
      expect((await client.listFeatureSets()).featureSets).toHaveLength(1);
      await server.shutdown(1000);
      const rotated = otherCa.issueServer();
      server = await startServer({ TLS_CERT_FILE: rotated.cert, TLS_KEY_FILE: rotated.key }, port);
      replaceFile(otherCa.cert, caFile);
      const deadline = Date.now() + 20000;
      for (;;) {
        const outcome = await client.listFeatureSets({ deadlineMs: 2000 }).then(
          () => 'ok',
          (err: TallyClientError) => err.codeName,
        );
        if (outcome === 'ok') break;
        if (Date.now() > deadline) throw new Error(`the client never trusted the new CA (last: ${outcome})`);
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      client.close();
      await server.shutdown(1000);
    }
  });

  it('sends a bearer token on every call, without changing the Metadata it was given', async () => {
    const cert = ca.issueServer();
    const tokens = path.join(ca.dir, 'client-tokens');
    fs.writeFileSync(tokens, `ingestion sha256:${hashToken('t0ken-for-the-test')}\n`);
    const contexts: CallContext[] = [];
    const server = await startServer(
      { TLS_CERT_FILE: cert.cert, TLS_KEY_FILE: cert.key, AUTHZ_TOKENS_FILE: tokens },
      0,
      contexts,
    );
    const client = new FeatureClient(`127.0.0.1:${server.port}`, {
      retries: false,
      tls: { caFile: ca.cert },
      token: 't0ken-for-the-test',
    });
    try {
      const metadata = new grpc.Metadata();
      metadata.set('x-request-source', 'test');
      await client.listFeatureSets({ metadata });
      expect(metadata.get('authorization')).toEqual([]);
      expect(contexts[0]?.caller).toEqual({ name: 'ingestion', names: ['ingestion'], via: 'token' });
      expect(contexts[0]?.metadata.get('x-request-source')).toEqual(['test']);
    } finally {
      client.close();
      await server.shutdown(1000);
    }
  });

  it('refuses options it cannot use, naming them', () => {
    expect(() => new FeatureClient('127.0.0.1:1', { tls: { caFile: '/nonexistent/ca.crt' } })).toThrow(
      "tls.caFile: no readable file at '/nonexistent/ca.crt'",
    );
    expect(() => new FeatureClient('127.0.0.1:1', { tls: { certFile: ca.cert } })).toThrow(
      'tls.certFile and tls.keyFile must be given together',
    );
    expect(() => new FeatureClient('127.0.0.1:1', { token: 'two words' })).toThrow(
      'token: expected printable ASCII',
    );
  });
});
