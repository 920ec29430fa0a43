import path from 'node:path';
import { status } from '@grpc/grpc-js';
import type { common, feature } from '@tally/contracts';
import { repoRoot, startService } from '@tally/testkit';
import type { ServiceProcess } from '@tally/testkit';
import { MYSQL_SERVER_URL, TcpProxy, createTestDatabase, featureClient, mysqlAvailable } from './testing';
import type { FeatureClient, TestDatabase } from './testing';

const SCRIPT = path.join(repoRoot(), 'services/feature-service/dist/main.js');
const REGISTRY = path.join(repoRoot(), 'features/test/events-registry');
const DEADLINE_MS = 1500;

const int = (n: number): common.Value => ({ int64Value: n });

async function failure(call: Promise<unknown>): Promise<{ code: number; details: string }> {
  try {
    await call;
  } catch (err) {
    return err as { code: number; details: string };
  }
  throw new Error('expected the call to fail');
}

/**
 * The store goes away (a TCP proxy between the service and MySQL stalls, then refuses) while events
 * are written and aggregates read: writes answer UNAVAILABLE before the deadline with nothing
 * applied, reads follow the call's store-error policy, and the retried batch counts once.
 */
(mysqlAvailable() ? describe : describe.skip)('event writes and aggregate reads in a store outage', () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  let service: ServiceProcess;
  let client: FeatureClient;
  const now = Date.now();
  const batch = (ids: string[]): feature.WriteEventsRequest => ({
    source: 'test_purchases',
    events: ids.map((id, i) => ({
      eventId: id,
      eventTimeUnixMs: now - (i + 1) * 60_000,
      keys: { applicant_id: int(1) },
      fields: { amount: { doubleValue: 10 } },
    })),
  });
  const read = (policy: feature.StoreErrorPolicy) =>
    client.getVectors(
      {
        featureSet: 'events_test',
        entities: [{ keys: { applicant_id: int(1) } }],
        storeErrorPolicy: policy,
      },
      DEADLINE_MS,
    );
  const count1h = (response: feature.GetFeatureVectorsResponse__Output) => {
    const i = response.columns.indexOf('purchase_count_1h');
    return [response.vectors[0]!.values[i], response.vectors[0]!.statuses[i]];
  };

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
        GRPC_PORT: '0',
        METRICS_PORT: '0',
      },
    });
    client = featureClient(service.address);
    expect(await client.writeEvents(batch(['first-1', 'first-2']))).toEqual({
      eventsWritten: 2,
      eventsDuplicate: 0,
    });
  }, 30000);

  afterAll(async () => {
    client?.close();
    await service?.stop();
    await proxy?.close();
    await database?.drop();
  });

  async function expectOutage(): Promise<void> {
    const err = await failure(client.writeEvents(batch(['during-1', 'during-2']), DEADLINE_MS));
    expect(err.code).toBe(status.UNAVAILABLE);
    expect(err.details).toMatch(/^online store \(mysql\) unavailable: /);
    const readErr = await failure(read('STORE_ERROR_POLICY_FAIL'));
    expect(readErr.code).toBe(status.UNAVAILABLE);
    // With policy DEFAULT every aggregate is its default (count: 0), marked as a store error.
    expect(count1h(await read('STORE_ERROR_POLICY_DEFAULT'))).toEqual([
      0,
      'FEATURE_STATUS_STORE_ERROR_DEFAULTED',
    ]);
  }

  it('a store that stops answering: UNAVAILABLE before the deadline, defaults on request', async () => {
    proxy.stall();
    await expectOutage();
  });

  it('a store that refuses connections: the same', async () => {
    await proxy.close();
    await expectOutage();
  });

  it('when the store returns, the retried batch is applied once and nothing else was', async () => {
    await proxy.open();
    let result: feature.WriteEventsResponse__Output | undefined;
    for (let attempt = 0; attempt < 50 && result === undefined; attempt += 1) {
      result = await client.writeEvents(batch(['during-1', 'during-2']), DEADLINE_MS).catch(async () => {
        await new Promise((r) => setTimeout(r, 200));
        return undefined;
      });
    }
    expect(result).toEqual({ eventsWritten: 2, eventsDuplicate: 0 });
    expect(count1h(await read('STORE_ERROR_POLICY_FAIL'))).toEqual([4, 'FEATURE_STATUS_PRESENT']);
  });
});
