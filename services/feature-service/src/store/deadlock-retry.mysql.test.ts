import path from 'node:path';
import { repoRoot } from '@tally/testkit';
import { createConnection } from 'mysql2/promise';
import { loadRegistry } from '../registry';
import { createTestDatabase, mysqlAvailable } from '../testing';
import type { TestDatabase } from '../testing';
import { OnlineStore } from './online-store';
import { parseStoreUrl } from './store-url';

const registry = loadRegistry(path.join(repoRoot(), 'features/test/registry'));
const activity = registry.views.get('applicant_activity')!;
const runMysql = mysqlAvailable();
const maybe = runMysql ? it : it.skip;

/** Resolves once some transaction waits for a row lock (the write, blocked on key 2). */
async function waitForLockWait(url: string): Promise<void> {
  const watcher = await createConnection({ uri: url });
  try {
    for (let i = 0; i < 400; i += 1) {
      // Only this test's database: other tests share the server.
      const [rows] = await watcher.query(
        `select count(*) as n from information_schema.innodb_trx t
           join information_schema.processlist p on p.id = t.trx_mysql_thread_id
          where t.trx_state = 'LOCK WAIT' and p.db = database()`,
      );
      if (Number((rows as Array<{ n: number }>)[0]!.n) > 0) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('the write never waited for the lock on key 2');
  } finally {
    await watcher.end();
  }
}

// A real InnoDB deadlock between a write and another client that locks the same rows in the opposite
// order: InnoDB rolls back the transaction that changed fewer rows (the write), and the write runs again.
describe('a deadlock MySQL reports is retried (real InnoDB)', () => {
  let database: TestDatabase;
  let store: OnlineStore;
  const retries: string[] = [];

  beforeAll(async () => {
    if (!runMysql) return;
    database = await createTestDatabase();
    store = await OnlineStore.open(parseStoreUrl(database.url)!, registry, {
      poolSize: 2,
      connectTimeoutMs: 3000,
      onDeadlockRetry: (view) => retries.push(view),
    });
    // Keys 1 and 2, plus 100 rows the other client changes first (so it is not the victim).
    const rows = [1, 2, ...Array.from({ length: 100 }, (_, i) => 1000 + i)].map((key) => ({
      key,
      eventTimeMs: 10,
      values: [1],
    }));
    await store.writeRows(activity, rows);
  });

  afterAll(async () => {
    await store?.close();
    await database?.drop();
  });

  maybe(
    'the write is run again and succeeds once the other transaction commits',
    async () => {
      const other = await createConnection({ uri: database.url });
      try {
        await other.query('set innodb_lock_wait_timeout = 30');
        await other.beginTransaction();
        await other.query('update fv_applicant_activity set f_purchases_30d = 5 where applicant_id >= 1000');
        await other.query('select * from fv_applicant_activity where applicant_id = 2 for update');
        // The write locks key 1, then waits for key 2 (held above) …
        const writing = store.writeRows(activity, [
          { key: 2, eventTimeMs: 20, values: [7] },
          { key: 1, eventTimeMs: 20, values: [7] },
        ]);
        await waitForLockWait(database.url);
        // … and this waits for key 1: a cycle. InnoDB rolls back the write (fewer changed rows).
        await other.query('select * from fv_applicant_activity where applicant_id = 1 for update');
        await other.commit();
        expect(await writing).toEqual({ written: 2, ignoredOlder: 0 });
      } finally {
        await other.end();
      }
      expect(retries).toEqual(['applicant_activity']);
      const stored = await store.readRows(activity, [1, 2]);
      expect([stored.get('1')?.values, stored.get('2')?.values]).toEqual([[7], [7]]);
    },
    60_000,
  );
});
