import fs from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import { TestCertificateAuthority, checkHealth, freePort, replaceFile } from '@tally/testkit';
import { callOnce, sslCredentials, startSecureTestServer } from './testing/secure-test-server';
import type { SecureTestServer } from './testing/secure-test-server';

const insecure = () => grpc.credentials.createInsecure();

async function until(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 20000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('TLS on the gRPC server (real certificates made with openssl)', () => {
  let ca: TestCertificateAuthority;
  let otherCa: TestCertificateAuthority;

  beforeAll(() => {
    ca = TestCertificateAuthority.create('tally');
    otherCa = TestCertificateAuthority.create('other');
  });
  afterAll(() => {
    ca.remove();
    otherCa.remove();
  });

  describe('TLS without client certificates', () => {
    let s: SecureTestServer;
    let healthPort: number;
    beforeAll(async () => {
      const cert = ca.issueServer();
      healthPort = await freePort();
      s = await startSecureTestServer({
        TLS_CERT_FILE: cert.cert,
        TLS_KEY_FILE: cert.key,
        HEALTH_PORT: healthPort,
      });
    });
    afterAll(() => s.stop());

    it('answers a client that verifies it against the CA', async () => {
      expect(await callOnce(s.address, sslCredentials(ca.cert))).toEqual({
        code: grpc.status.OK,
        details: '',
      });
    });

    it('refuses a plaintext client', async () => {
      const outcome = await callOnce(s.address, insecure());
      expect(outcome.code).toBe(grpc.status.UNAVAILABLE);
    });

    it('is refused by a client that trusts another CA', async () => {
      const outcome = await callOnce(s.address, sslCredentials(otherCa.cert));
      expect(outcome.code).toBe(grpc.status.UNAVAILABLE);
    });

    it('serves health in plaintext on HEALTH_PORT (for Kubernetes probes) and over TLS on the gRPC port', async () => {
      expect(s.server.healthPort).toBe(healthPort);
      expect(await checkHealth(`127.0.0.1:${healthPort}`)).toBe('SERVING');
      expect(await checkHealth(s.address, '', 5000, sslCredentials(ca.cert))).toBe('SERVING');
      s.server.setServing(false);
      expect(await checkHealth(`127.0.0.1:${healthPort}`)).toBe('NOT_SERVING');
      s.server.setServing(true);
    });

    it('logs that TLS is on, with the certificate it serves', () => {
      const on = s.logs.find((r) => r.message === 'TLS on');
      expect(on).toMatchObject({ mtls: false, subject: 'CN=localhost' });
      expect(String(on?.fingerprint)).toMatch(/^[0-9A-F:]+$/);
    });
  });

  describe('mTLS (TLS_CLIENT_CA_FILE)', () => {
    let s: SecureTestServer;
    beforeAll(async () => {
      const cert = ca.issueServer();
      s = await startSecureTestServer({
        TLS_CERT_FILE: cert.cert,
        TLS_KEY_FILE: cert.key,
        TLS_CLIENT_CA_FILE: ca.cert,
      });
    });
    afterAll(() => s.stop());

    it('answers a client presenting a certificate from the client CA', async () => {
      const client = ca.issue({ cn: 'checkout' });
      expect(await callOnce(s.address, sslCredentials(ca.cert, client.cert, client.key))).toEqual({
        code: grpc.status.OK,
        details: '',
      });
    });

    it('refuses a client without a certificate', async () => {
      const outcome = await callOnce(s.address, sslCredentials(ca.cert));
      expect(outcome.code).toBe(grpc.status.UNAVAILABLE);
      expect(s.contexts).toHaveLength(1); // only the call above reached the handler
    });

    it('refuses a client whose certificate another CA signed', async () => {
      const stranger = otherCa.issue({ cn: 'checkout' });
      const outcome = await callOnce(s.address, sslCredentials(ca.cert, stranger.cert, stranger.key));
      expect(outcome.code).toBe(grpc.status.UNAVAILABLE);
    });

    it('refuses a plaintext client', async () => {
      expect((await callOnce(s.address, insecure())).code).toBe(grpc.status.UNAVAILABLE);
    });
  });

  describe('rotation: files replaced while the server runs', () => {
    let s: SecureTestServer;
    let certFile: string;
    let keyFile: string;
    beforeAll(async () => {
      const first = ca.issueServer();
      certFile = `${ca.dir}/live.crt`;
      keyFile = `${ca.dir}/live.key`;
      fs.copyFileSync(first.cert, certFile);
      fs.copyFileSync(first.key, keyFile);
      s = await startSecureTestServer({
        TLS_CERT_FILE: certFile,
        TLS_KEY_FILE: keyFile,
        TLS_RELOAD_INTERVAL_MS: 200,
      });
    });
    afterAll(() => s.stop());

    it('serves the new certificate to new connections, without a restart', async () => {
      expect((await callOnce(s.address, sslCredentials(ca.cert))).code).toBe(grpc.status.OK);
      expect((await callOnce(s.address, sslCredentials(otherCa.cert))).code).toBe(grpc.status.UNAVAILABLE);
      const port = s.server.port;

      const rotated = otherCa.issueServer();
      replaceFile(rotated.key, keyFile);
      replaceFile(rotated.cert, certFile);
      await until('a client of the new CA to connect', async () => {
        return (await callOnce(s.address, sslCredentials(otherCa.cert))).code === grpc.status.OK;
      });
      expect((await callOnce(s.address, sslCredentials(ca.cert))).code).toBe(grpc.status.UNAVAILABLE);
      expect(s.server.port).toBe(port);
      expect(
        s.logs.some((r) => r.message === 'TLS certificate reloaded' && r.subject === 'CN=localhost'),
      ).toBe(true);
    });

    it('keeps the last good certificate when the new files do not match, and says why', async () => {
      const mismatched = ca.issueServer();
      replaceFile(mismatched.key, keyFile); // the key changes, the certificate does not
      await until('the refusal to be logged', () =>
        s.logs.some((r) => r.message === 'new TLS certificate refused, keeping the previous one'),
      );
      expect((await callOnce(s.address, sslCredentials(otherCa.cert))).code).toBe(grpc.status.OK);
    });
  });

  it('refuses to start on a key that does not belong to the certificate, naming the files', async () => {
    const a = ca.issueServer();
    const b = ca.issueServer();
    await expect(startSecureTestServer({ TLS_CERT_FILE: a.cert, TLS_KEY_FILE: b.key })).rejects.toThrow(
      `${a.cert} / ${b.key}: not a usable certificate and key`,
    );
  });

  it('refuses half a TLS configuration', async () => {
    const a = ca.issueServer();
    await expect(startSecureTestServer({ TLS_CERT_FILE: a.cert })).rejects.toThrow(
      'TLS_CERT_FILE and TLS_KEY_FILE must be set together',
    );
    await expect(startSecureTestServer({ TLS_CLIENT_CA_FILE: ca.cert })).rejects.toThrow(
      'TLS_CLIENT_CA_FILE (mTLS) needs TLS',
    );
  });
});
