import fs from 'node:fs';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { createFeatureServiceClient } from '@tally/contracts';
import { TestCertificateAuthority, checkHealth, freePort, spawnService, startService } from '@tally/testkit';

const SLOW_SERVER = path.resolve(__dirname, '../dist/testing/slow-server.js');

describe('a service process with TLS and a plaintext health port', () => {
  let ca: TestCertificateAuthority;
  beforeAll(() => {
    ca = TestCertificateAuthority.create('health');
  });
  afterAll(() => ca.remove());

  it('answers probes in plaintext, and says NOT_SERVING there while it drains', async () => {
    const cert = ca.issueServer();
    const healthPort = await freePort();
    const proc = await startService({
      script: SLOW_SERVER,
      env: {
        GRPC_PORT: '0',
        SLOW_MS: '3000',
        TLS_CERT_FILE: cert.cert,
        TLS_KEY_FILE: cert.key,
        HEALTH_PORT: String(healthPort),
      },
    });
    const health = `127.0.0.1:${healthPort}`;
    const client = createFeatureServiceClient(
      proc.address,
      grpc.credentials.createSsl(fs.readFileSync(ca.cert)),
    );
    try {
      expect(proc.records().find((r) => r.message === 'listening')).toMatchObject({
        health_port: healthPort,
      });
      expect(await checkHealth(health)).toBe('SERVING');
      const inFlight = new Promise((resolve) =>
        client.ListFeatureSets({}, { deadline: Date.now() + 20000 }, (err) => resolve(err?.code ?? 0)),
      );
      await proc.waitForRecord((r) => r.message === 'slow call started');
      proc.child.kill('SIGTERM');
      await proc.waitForRecord((r) => r.message === 'shutting down');
      expect(await checkHealth(health)).toBe('NOT_SERVING');
      await expect(inFlight).resolves.toBe(0);
      await expect(proc.exited).resolves.toEqual({ code: 0, signal: null });
    } finally {
      client.close();
      await proc.stop('SIGKILL');
    }
  });

  it('exits 2 naming the variables of a TLS configuration that does not go together', async () => {
    const cert = ca.issueServer();
    const proc = spawnService({ script: SLOW_SERVER, env: { GRPC_PORT: '0', TLS_CERT_FILE: cert.cert } });
    expect((await proc.exited).code).toBe(2);
    expect(proc.stderr.join('')).toContain('TLS_CERT_FILE and TLS_KEY_FILE must be set together');
  });
});
