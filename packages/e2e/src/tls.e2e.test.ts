/**
 * Both services with TLS everywhere, as a lender runs them: mTLS and a policy on each server, the
 * model-server's client to the feature-service over mTLS with its own certificate, an ingestion job
 * identified by a bearer token, and the CLI with --tls-ca/--tls-cert/--tls-key. Real processes, real
 * certificates made by openssl for this run.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import * as grpc from '@grpc/grpc-js';
import { FeatureClient, ScoringClient, TallyClientError, toValueMap } from '@tally/client';
import { TestCertificateAuthority, checkHealth, freePort, repoRoot } from '@tally/testkit';
import { loadApplicants, referenceRows } from './demo-applicants';
import { metricSum, scrapeMetrics, startFeatureService, startModelServer } from './tally-stack';
import type { RunningService } from './tally-stack';

const run = promisify(execFile);
const CLI = path.join(repoRoot(), 'packages/cli/dist/main.js');
const REFERENCE = referenceRows().slice(0, 3);
const INGESTION_TOKEN = 'e2e-ingestion-3c9a7f0b51d24e8e9b6f2a7d4c1e8b05';

async function failure(call: Promise<unknown>): Promise<TallyClientError> {
  try {
    await call;
  } catch (err) {
    if (err instanceof TallyClientError) return err;
    throw err;
  }
  throw new Error('the call succeeded; a failure was expected');
}

describe('TLS, mTLS and authorization across both services', () => {
  let ca: TestCertificateAuthority;
  let featureService: RunningService;
  let modelServer: RunningService;
  let modelServerHealthPort: number;
  let checkout: { cert: string; key: string };
  let platform: { cert: string; key: string };

  beforeAll(async () => {
    ca = TestCertificateAuthority.create('e2e');
    const dir = ca.dir;
    const fsCert = ca.issueServer('feature-service');
    const msCert = ca.issueServer('model-server');
    // the model-server's client certificate: its identity at the feature-service is the SAN
    const msClient = ca.issue({ cn: 'model-server-pod', san: ['DNS:model-server.tally.svc'] });
    checkout = ca.issue({ cn: 'checkout' });
    platform = ca.issue({ cn: 'platform' });
    fs.writeFileSync(
      path.join(dir, 'feature-policy.yaml'),
      [
        'callers:',
        '  model-server.tally.svc:',
        '    allow: [tally.feature.v1.FeatureService/GetFeatureVectors, tally.feature.v1.FeatureService/DescribeFeatureSet]',
        '  ingestion:',
        '    allow: [tally.feature.v1.FeatureService/WriteFeatureRows]',
        '  checkout:',
        '    allow: [tally.feature.v1.FeatureService/GetFeatureVectors]',
        '',
      ].join('\n'),
    );
    fs.writeFileSync(
      path.join(dir, 'model-policy.yaml'),
      [
        'callers:',
        '  checkout:',
        '    allow: [tally.model.v1.ScoringService/Score, tally.model.v1.ScoringService/ScoreBatch]',
        '  platform:',
        '    allow: ["*"]',
        '',
      ].join('\n'),
    );
    const sha = createHash('sha256').update(INGESTION_TOKEN).digest('hex');
    fs.writeFileSync(path.join(dir, 'tokens'), `ingestion sha256:${sha}\n`);

    featureService = await startFeatureService({
      STORE_URL: `sqlite:${path.join(dir, 'store.sqlite')}`,
      TLS_CERT_FILE: fsCert.cert,
      TLS_KEY_FILE: fsCert.key,
      TLS_CLIENT_CA_FILE: ca.cert,
      AUTHZ_POLICY_FILE: path.join(dir, 'feature-policy.yaml'),
      AUTHZ_TOKENS_FILE: path.join(dir, 'tokens'),
    });
    // Under mTLS every caller presents a certificate, and the certificate names the caller.
    const job = ca.issue({ cn: 'ingestion' });
    const ingest = new FeatureClient(featureService.address, {
      retries: false,
      tls: { caFile: ca.cert, certFile: job.cert, keyFile: job.key },
    });
    await loadApplicants(
      ingest,
      REFERENCE.map((r) => r.applicant_id),
    );
    ingest.close();

    modelServerHealthPort = await freePort();
    modelServer = await startModelServer(featureService.address, {
      TLS_CERT_FILE: msCert.cert,
      TLS_KEY_FILE: msCert.key,
      TLS_CLIENT_CA_FILE: ca.cert,
      AUTHZ_POLICY_FILE: path.join(dir, 'model-policy.yaml'),
      HEALTH_PORT: String(modelServerHealthPort),
      FEATURE_SERVICE_TLS_CA_FILE: ca.cert,
      FEATURE_SERVICE_TLS_CERT_FILE: msClient.cert,
      FEATURE_SERVICE_TLS_KEY_FILE: msClient.key,
    });
  }, 120000);

  afterAll(async () => {
    await modelServer?.process.stop();
    await featureService?.process.stop();
    ca?.remove();
  });

  const scoringAs = (who: { cert: string; key: string } | undefined) =>
    new ScoringClient(modelServer.address, {
      retries: false,
      deadlinesMs: { Score: 10000 },
      tls: { caFile: ca.cert, ...(who === undefined ? {} : { certFile: who.cert, keyFile: who.key }) },
    });

  it('scores through the mTLS hop to the feature-service, as the training run did', async () => {
    const client = scoringAs(checkout);
    try {
      for (const row of REFERENCE) {
        const res = await client.score({
          model: 'credit_risk',
          entityKeys: toValueMap({ applicant_id: row.applicant_id }),
          context: toValueMap(row.context),
        });
        expect(res.featureIssues).toEqual([]);
        expect(Math.abs(res.score - row.expected[res.version]!)).toBeLessThan(1e-5);
      }
    } finally {
      client.close();
    }
    const record = modelServer.process.records().find((r) => r.message === 'feature-service client');
    expect(record).toMatchObject({ tls: true, client_certificate: true });
  });

  it('refuses model management to checkout, and allows it to platform', async () => {
    const asCheckout = scoringAs(checkout);
    const asPlatform = scoringAs(platform);
    try {
      const refused = await failure(asCheckout.listModels());
      expect(refused.code).toBe(grpc.status.PERMISSION_DENIED);
      expect(refused.details).toBe(
        "tally.model.v1.ScoringService/ListModels: caller 'checkout' is not allowed to call this method",
      );
      expect((await asPlatform.listModels()).models.map((m) => m.name)).toContain('credit_risk');
    } finally {
      asCheckout.close();
      asPlatform.close();
    }
    const metrics = await scrapeMetrics(modelServer);
    expect(
      metricSum(metrics, 'tally_authz_refused_total', { code: 'PERMISSION_DENIED', identity: 'checkout' }),
    ).toBe(1);
    const logged = await modelServer.process.waitForRecord((r) => r.message === 'call refused');
    expect(logged).toMatchObject({
      identity: 'checkout',
      method: 'tally.model.v1.ScoringService/ListModels',
    });
  });

  it('refuses a client without a certificate, and a plaintext one', async () => {
    const anonymous = scoringAs(undefined);
    const plaintext = new ScoringClient(modelServer.address, { retries: false });
    try {
      expect((await failure(anonymous.listModels())).code).toBe(grpc.status.UNAVAILABLE);
      expect((await failure(plaintext.listModels())).code).toBe(grpc.status.UNAVAILABLE);
    } finally {
      anonymous.close();
      plaintext.close();
    }
  });

  it('answers Kubernetes probes on the plaintext health port', async () => {
    expect(await checkHealth(`127.0.0.1:${modelServerHealthPort}`)).toBe('SERVING');
  });

  it("tally status reads both services' health over mTLS (health needs no permission)", async () => {
    const { stdout } = await run(process.execPath, [
      CLI,
      'status',
      '--feature-service',
      featureService.address,
      '--model-server',
      modelServer.address,
      '--tls-ca',
      ca.cert,
      '--tls-cert',
      checkout.cert,
      '--tls-key',
      checkout.key,
      '--json',
    ]);
    expect(JSON.parse(stdout)).toEqual({
      services: [
        { service: 'feature-service', address: featureService.address, status: 'SERVING' },
        { service: 'model-server', address: modelServer.address, status: 'SERVING' },
      ],
    });
  });

  it('the CLI scores with --tls-ca, --tls-cert and --tls-key, and says why it cannot without them', async () => {
    const row = REFERENCE[0]!;
    const args = [
      CLI,
      'score',
      '--model',
      'credit_risk',
      '--applicant',
      String(row.applicant_id),
      '--amount',
      String(row.context.amount),
      '--term',
      String(row.context.term),
      '--int-rate',
      String(row.context.int_rate),
      '--sub-grade',
      row.context.sub_grade,
      '--address',
      modelServer.address,
      '--json',
    ];
    const ok = await run(process.execPath, [
      ...args,
      '--tls-ca',
      ca.cert,
      '--tls-cert',
      checkout.cert,
      '--tls-key',
      checkout.key,
    ]);
    const json = JSON.parse(ok.stdout) as { score: number; version: string };
    expect(Math.abs(json.score - row.expected[json.version]!)).toBeLessThan(1e-5);

    const refused = await run(process.execPath, [...args, '--tls-ca', ca.cert]).catch(
      (err: { code: number; stderr: string }) => err,
    );
    expect(refused).toMatchObject({ code: 1 });
    expect((refused as { stderr: string }).stderr).toMatch(
      /^tally: no secure connection to the model-server at /,
    );
  });
});
