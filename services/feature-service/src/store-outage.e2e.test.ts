import path from 'node:path';
import { status } from '@grpc/grpc-js';
import type { feature } from '@tally/contracts';
import { repoRoot, startService } from '@tally/testkit';
import type { ServiceProcess } from '@tally/testkit';
import { MYSQL_SERVER_URL, TcpProxy, createTestDatabase, featureClient, mysqlAvailable } from './testing';
import type { FeatureClient, TestDatabase } from './testing';

const SCRIPT = path.join(repoRoot(), 'services/feature-service/dist/main.js');
const REGISTRY = path.join(repoRoot(), 'features/test/registry');
const DEADLINE_MS = 1500;

const read = (
  client: FeatureClient,
  applicantId: number,
  policy: feature.StoreErrorPolicy = 'STORE_ERROR_POLICY_FAIL',
): Promise<feature.GetFeatureVectorsResponse__Output> =>
  client.getVectors(
    {
      featureSet: 'profile_only',
      entities: [{ keys: { applicant_id: { int64Value: applicantId } } }],
      storeErrorPolicy: policy,
    },
    DEADLINE_MS,
  );

async function failure(call: Promise<unknown>): Promise<{ code: number; details: string }> {
  try {
    await call;
  } catch (err) {
    return err as { code: number; details: string };
  }
  throw new Error('expected the call to fail');
}

/**
 * The store stops answering mid-run (a TCP proxy between the service and MySQL stalls, then drops
 * every connection), then comes back. Calls keep finishing before their deadline, cached entities
 * are still served, and the service recovers by itself.
 */
(mysqlAvailable() ? describe : describe.skip)('store outage (MySQL behind a proxy)', () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  let service: ServiceProcess;
  let client: FeatureClient;

  beforeAll(async () => {
    database = await createTestDatabase();
    const server = new URL(MYSQL_SERVER_URL);
    proxy = new TcpProxy(server.hostname, Number(server.port || 3306));
    await proxy.open();
    const viaProxy = new URL(database.url);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    service = await startService({
      script: SCRIPT,
      env: {
        REGISTRY_PATH: REGISTRY,
        STORE_URL: viaProxy.toString(),
        STORE_TIMEOUT_MS: '300',
        STORE_POOL_SIZE: '4',
        CACHE_TTL_MS: '600000',
        GRPC_PORT: '0',
        METRICS_PORT: '0',
      },
    });
    client = featureClient(service.address);
    const now = Date.now();
    await client.write({
      featureView: 'applicant_profile',
      rows: [1, 2].map((id) => ({
        keys: { applicant_id: { int64Value: id } },
        values: { annual_inc: { doubleValue: id * 1000 } },
        eventTimeUnixMs: now,
      })),
    });
    expect((await read(client, 1)).vectors[0]!.values[0]).toBe(1000); // entity 1 is now cached
  }, 30000);

  afterAll(async () => {
    client?.close();
    await service?.stop();
    await proxy?.close();
    await database?.drop();
  });

  async function expectDegraded(): Promise<void> {
    const err = await failure(read(client, 2));
    // UNAVAILABLE (not DEADLINE_EXCEEDED) proves the service answered before the caller's deadline.
    expect(err.code).toBe(status.UNAVAILABLE);
    expect(err.details).toMatch(/^online store \(mysql\) unavailable: /);
    const cached = await read(client, 1);
    // Served from the cache: annual_inc as stored; grade was never written (missing, one-hot of C).
    expect(cached.vectors[0]).toMatchObject({
      values: [1000, 0, 0, 1],
      statuses: ['FEATURE_STATUS_PRESENT', ...Array(3).fill('FEATURE_STATUS_MISSING_DEFAULTED')],
    });
    const defaulted = await read(client, 2, 'STORE_ERROR_POLICY_DEFAULT');
    expect(defaulted.vectors[0]!.statuses).toEqual(Array(4).fill('FEATURE_STATUS_STORE_ERROR_DEFAULTED'));
    expect(defaulted.vectors[0]!.values).toEqual([0, 0, 0, 1]); // defaults: annual_inc 0, grade C
    const writeErr = await failure(
      client.write(
        {
          featureView: 'applicant_profile',
          rows: [{ keys: { applicant_id: { int64Value: 3 } }, values: {}, eventTimeUnixMs: 1 }],
        },
        DEADLINE_MS,
      ),
    );
    expect(writeErr.code).toBe(status.UNAVAILABLE);
  }

  it('a store that stops answering: deadlines met, cached entities served, defaults on request', async () => {
    proxy.stall();
    await expectDegraded();
  });

  it('a store that refuses connections: same behaviour', async () => {
    await proxy.close();
    await expectDegraded();
  });

  it('recovers by itself when the store returns, without a restart', async () => {
    await proxy.open();
    let answer: feature.GetFeatureVectorsResponse__Output | undefined;
    for (let attempt = 0; attempt < 50 && answer === undefined; attempt += 1) {
      answer = await read(client, 2).catch(async () => {
        await new Promise((r) => setTimeout(r, 200));
        return undefined;
      });
    }
    expect(answer?.vectors[0]!.values[0]).toBe(2000);
    expect(answer?.vectors[0]!.statuses[0]).toBe('FEATURE_STATUS_PRESENT');
    expect(service.hasExited).toBe(false);
  });
});
