import fs from 'node:fs';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { TestCertificateAuthority, checkHealth, replaceFile } from '@tally/testkit';
import { hashToken } from './authz-tokens';
import { callOnce, sslCredentials, startSecureTestServer } from './testing/secure-test-server';
import type { SecureTestServer } from './testing/secure-test-server';

const POLICY = `
callers:
  checkout:
    allow:
      - tally.feature.v1.FeatureService/ListFeatureSets
  ingestion:
    allow: [tally.feature.v1.FeatureService/WriteFeatureRows]
  spiffe://tally/platform:
    allow: ["*"]
`;

function refusedCount(text: string, labels: Record<string, string>): number {
  return text
    .split('\n')
    .filter((l) => l.startsWith('tally_authz_refused_total{'))
    .filter((l) => Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)))
    .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}

describe('authorization per caller', () => {
  let ca: TestCertificateAuthority;
  let policyFile: string;
  let tokensFile: string;
  const INGESTION_TOKEN = 'a3f1c0de5b7e4d2f9a8b6c4d2e0f1a3b5c7d9e1f3a5b7c9d';

  beforeAll(() => {
    ca = TestCertificateAuthority.create('authz');
    policyFile = path.join(ca.dir, 'policy.yaml');
    fs.writeFileSync(policyFile, POLICY);
    tokensFile = path.join(ca.dir, 'tokens');
    fs.writeFileSync(tokensFile, `# ingestion job\ningestion sha256:${hashToken(INGESTION_TOKEN)}\n`);
  });
  afterAll(() => ca.remove());

  describe('identity from client certificates (mTLS)', () => {
    let s: SecureTestServer;
    let creds: (cn: string, san?: string[]) => grpc.ChannelCredentials;
    beforeAll(async () => {
      const cert = ca.issueServer();
      s = await startSecureTestServer({
        TLS_CERT_FILE: cert.cert,
        TLS_KEY_FILE: cert.key,
        TLS_CLIENT_CA_FILE: ca.cert,
        AUTHZ_POLICY_FILE: policyFile,
      });
      creds = (cn, san) => {
        const c = ca.issue({ cn, san });
        return sslCredentials(ca.cert, c.cert, c.key);
      };
    });
    afterAll(() => s.stop());

    it('allows what the policy allows, and gives the handler the caller', async () => {
      expect(await callOnce(s.address, creds('checkout'))).toEqual({ code: grpc.status.OK, details: '' });
      expect(s.contexts.at(-1)?.caller).toEqual({
        name: 'checkout',
        names: ['checkout'],
        via: 'certificate',
      });
    });

    it('refuses what it does not allow with PERMISSION_DENIED naming the method and the caller', async () => {
      const reached = s.contexts.length;
      expect(await callOnce(s.address, creds('checkout'), 'WriteFeatureRows')).toEqual({
        code: grpc.status.PERMISSION_DENIED,
        details:
          "tally.feature.v1.FeatureService/WriteFeatureRows: caller 'checkout' is not allowed to call this method",
      });
      expect(s.contexts.length).toBe(reached); // the handler never ran
      const text = await s.metrics.registry.metrics();
      expect(
        refusedCount(text, {
          method: 'tally.feature.v1.FeatureService/WriteFeatureRows',
          code: 'PERMISSION_DENIED',
          identity: 'checkout',
        }),
      ).toBe(1);
      expect(s.logs.find((r) => r.message === 'call refused')).toMatchObject({
        level: 'warn',
        method: 'tally.feature.v1.FeatureService/WriteFeatureRows',
        code: 'PERMISSION_DENIED',
        identity: 'checkout',
      });
    });

    it('refuses a certified caller the policy does not list', async () => {
      const outcome = await callOnce(s.address, creds('stranger'));
      expect(outcome.code).toBe(grpc.status.PERMISSION_DENIED);
      expect(outcome.details).toContain("caller 'stranger'");
    });

    it('matches a subjectAltName before the CN (a SPIFFE id here)', async () => {
      const platform = creds('ops-laptop', ['URI:spiffe://tally/platform', 'DNS:ops.example']);
      expect((await callOnce(s.address, platform, 'WriteFeatureRows')).code).toBe(grpc.status.OK);
      expect(s.contexts.at(-1)?.caller).toEqual({
        name: 'spiffe://tally/platform',
        names: ['spiffe://tally/platform', 'ops.example', 'ops-laptop'],
        via: 'certificate',
      });
    });

    it('never lets health be refused', async () => {
      const c = ca.issue({ cn: 'kubelet-is-not-listed' });
      expect(await checkHealth(s.address, '', 5000, sslCredentials(ca.cert, c.cert, c.key))).toBe('SERVING');
    });
  });

  describe('identity from bearer tokens (TLS without client certificates)', () => {
    let s: SecureTestServer;
    beforeAll(async () => {
      const cert = ca.issueServer();
      s = await startSecureTestServer({
        TLS_CERT_FILE: cert.cert,
        TLS_KEY_FILE: cert.key,
        AUTHZ_POLICY_FILE: policyFile,
        AUTHZ_TOKENS_FILE: tokensFile,
      });
    });
    afterAll(() => s.stop());

    const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

    it('allows a caller whose token hashes to a listed identity, and hides the token from handlers', async () => {
      const outcome = await callOnce(
        s.address,
        sslCredentials(ca.cert),
        'WriteFeatureRows',
        bearer(INGESTION_TOKEN),
      );
      expect(outcome).toEqual({ code: grpc.status.OK, details: '' });
      const ctx = s.contexts.at(-1)!;
      expect(ctx.caller).toEqual({ name: 'ingestion', names: ['ingestion'], via: 'token' });
      expect(ctx.metadata.get('authorization')).toEqual([]);
    });

    it('refuses a method the token identity may not call', async () => {
      const outcome = await callOnce(
        s.address,
        sslCredentials(ca.cert),
        'ListFeatureSets',
        bearer(INGESTION_TOKEN),
      );
      expect(outcome).toEqual({
        code: grpc.status.PERMISSION_DENIED,
        details:
          "tally.feature.v1.FeatureService/ListFeatureSets: caller 'ingestion' is not allowed to call this method",
      });
    });

    it('answers UNAUTHENTICATED, naming the method, to a call without identity', async () => {
      expect(await callOnce(s.address, sslCredentials(ca.cert), 'ListFeatureSets')).toEqual({
        code: grpc.status.UNAUTHENTICATED,
        details:
          'tally.feature.v1.FeatureService/ListFeatureSets: the caller is not identified (present a client certificate or a bearer token)',
      });
    });

    it('answers UNAUTHENTICATED to a token that matches no hash, and counts it', async () => {
      const outcome = await callOnce(
        s.address,
        sslCredentials(ca.cert),
        'WriteFeatureRows',
        bearer('guessed'),
      );
      expect(outcome).toEqual({
        code: grpc.status.UNAUTHENTICATED,
        details: 'tally.feature.v1.FeatureService/WriteFeatureRows: the bearer token is not valid',
      });
      const text = await s.metrics.registry.metrics();
      expect(refusedCount(text, { code: 'UNAUTHENTICATED', identity: '' })).toBe(2);
    });

    it('lets anonymous health checks through', async () => {
      expect(await checkHealth(s.address, '', 5000, sslCredentials(ca.cert))).toBe('SERVING');
    });
  });

  describe('without a policy', () => {
    let s: SecureTestServer;
    beforeAll(async () => {
      const cert = ca.issueServer();
      s = await startSecureTestServer({
        TLS_CERT_FILE: cert.cert,
        TLS_KEY_FILE: cert.key,
        AUTHZ_TOKENS_FILE: tokensFile,
      });
    });
    afterAll(() => s.stop());

    it('keeps the open behaviour, says so at start-up, and still tells handlers who called', async () => {
      expect(
        s.logs.some((r) => r.level === 'warn' && String(r.message).startsWith('no authorization policy')),
      ).toBe(true);
      expect((await callOnce(s.address, sslCredentials(ca.cert), 'WriteFeatureRows')).code).toBe(
        grpc.status.OK,
      );
      expect(s.contexts.at(-1)?.caller).toBeUndefined();
      const outcome = await callOnce(s.address, sslCredentials(ca.cert), 'ListFeatureSets', {
        authorization: `Bearer ${INGESTION_TOKEN}`,
      });
      expect(outcome.code).toBe(grpc.status.OK);
      expect(s.contexts.at(-1)?.caller?.name).toBe('ingestion');
    });
  });

  describe('policy and tokens changed while the server runs', () => {
    let s: SecureTestServer;
    let livePolicy: string;
    let liveTokens: string;
    beforeAll(async () => {
      const cert = ca.issueServer();
      livePolicy = path.join(ca.dir, 'live-policy.yaml');
      liveTokens = path.join(ca.dir, 'live-tokens');
      fs.copyFileSync(policyFile, livePolicy);
      fs.copyFileSync(tokensFile, liveTokens);
      s = await startSecureTestServer({
        TLS_CERT_FILE: cert.cert,
        TLS_KEY_FILE: cert.key,
        AUTHZ_POLICY_FILE: livePolicy,
        AUTHZ_TOKENS_FILE: liveTokens,
        TLS_RELOAD_INTERVAL_MS: 100,
      });
    });
    afterAll(() => s.stop());

    async function until(check: () => Promise<boolean> | boolean): Promise<void> {
      const deadline = Date.now() + 20000;
      while (!(await check())) {
        if (Date.now() > deadline) throw new Error('timed out');
        await new Promise((r) => setTimeout(r, 50));
      }
    }

    it('takes a new token and a new policy without a restart, and keeps the last good policy', async () => {
      const creds = sslCredentials(ca.cert);
      const auditor = { authorization: 'Bearer auditor-token-0123456789abcdef' };
      expect((await callOnce(s.address, creds, 'ListFeatureSets', auditor)).code).toBe(
        grpc.status.UNAUTHENTICATED,
      );

      const nextTokens = path.join(ca.dir, 'next-tokens');
      fs.writeFileSync(nextTokens, `auditor sha256:${hashToken('auditor-token-0123456789abcdef')}\n`);
      replaceFile(nextTokens, liveTokens);
      await until(
        async () =>
          (await callOnce(s.address, creds, 'ListFeatureSets', auditor)).code ===
          grpc.status.PERMISSION_DENIED,
      );

      const nextPolicy = path.join(ca.dir, 'next-policy.yaml');
      fs.writeFileSync(
        nextPolicy,
        'callers:\n  auditor:\n    allow: [tally.feature.v1.FeatureService/ListFeatureSets]\n',
      );
      replaceFile(nextPolicy, livePolicy);
      await until(
        async () => (await callOnce(s.address, creds, 'ListFeatureSets', auditor)).code === grpc.status.OK,
      );

      fs.writeFileSync(
        nextPolicy,
        'callers:\n  auditor:\n    allow: [tally.feature.v1.FeatureService/NoSuchMethod]\n',
      );
      replaceFile(nextPolicy, livePolicy);
      await until(() =>
        s.logs.some((r) => r.message === 'new authorization policy refused, keeping the previous one'),
      );
      expect((await callOnce(s.address, creds, 'ListFeatureSets', auditor)).code).toBe(grpc.status.OK);
      expect(s.logs.some((r) => r.message === 'tokens file reloaded')).toBe(true);
    });
  });

  it('refuses a policy that no caller could ever satisfy (no mTLS, no tokens)', async () => {
    await expect(startSecureTestServer({ AUTHZ_POLICY_FILE: policyFile })).rejects.toThrow(
      'AUTHZ_POLICY_FILE needs a way to identify callers',
    );
  });
});
