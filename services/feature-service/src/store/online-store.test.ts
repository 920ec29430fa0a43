import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '@tally/testkit';
import { loadRegistry } from '../registry';
import type { FeatureView, Registry, Scalar } from '../registry';
import { createTestDatabase, mysqlAvailable } from '../testing';
import type { TestDatabase } from '../testing';
import { OnlineStore } from './online-store';
import type { RowToWrite, StoreOperation } from './online-store';
import { parseStoreUrl } from './store-url';
import type { StoreDialect } from './store-url';

const REGISTRY_DIR = path.join(repoRoot(), 'features/test/registry');
const registry = loadRegistry(REGISTRY_DIR);
const profile = registry.views.get('applicant_profile')!;
const merchants = registry.views.get('merchant_risk')!;

/** A deterministic PRNG, so a failing shuffle can be replayed from its seed. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function profileRow(
  key: number,
  eventTimeMs: number,
  annualInc: number,
  grade: string | null = 'A',
): RowToWrite {
  const values: Scalar[] = profile.features.map((f) =>
    f.name === 'annual_inc'
      ? annualInc
      : f.name === 'grade'
        ? grade
        : f.name === 'has_mortgage'
          ? true
          : null,
  );
  return { key, eventTimeMs, values };
}

const runMysql = mysqlAvailable();
const dialects: Array<[StoreDialect, boolean]> = [
  ['sqlite', true],
  ['mysql', runMysql],
];

describe.each(dialects)('online store conformance (%s)', (dialect, enabled) => {
  const maybe = enabled ? it : it.skip;
  let store: OnlineStore;
  let database: TestDatabase | undefined;
  let tmp: string;
  let storeUrl: string;
  const queries: StoreOperation[] = [];

  async function open(reg: Registry = registry): Promise<OnlineStore> {
    return OnlineStore.open(parseStoreUrl(storeUrl)!, reg, {
      poolSize: 4,
      connectTimeoutMs: 3000,
      onQuery: (operation) => queries.push(operation),
    });
  }

  beforeAll(async () => {
    if (!enabled) return;
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-store-'));
    if (dialect === 'mysql') {
      database = await createTestDatabase();
      storeUrl = database.url;
    } else {
      storeUrl = `sqlite:${path.join(tmp, 'nested/dir/store.sqlite')}`;
    }
    store = await open();
  });

  afterAll(async () => {
    await store?.close();
    await database?.drop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  maybe('reads back what was written, with types intact, and absent keys stay absent', async () => {
    await store.writeRows(profile, [profileRow(1, 1000, 52000.5, 'B'), profileRow(2, 1000, 0, null)]);
    const rows = await store.readRows(profile, [1, 2, 3]);
    expect(rows.has('3')).toBe(false);
    const one = rows.get('1')!;
    expect(one.eventTimeMs).toBe(1000);
    const value = (name: string) => one.values[profile.features.findIndex((f) => f.name === name)];
    expect(value('annual_inc')).toBe(52000.5);
    expect(value('grade')).toBe('B');
    expect(value('has_mortgage')).toBe(true);
    expect(value('open_accounts')).toBeNull();
    expect(rows.get('2')!.values[profile.features.findIndex((f) => f.name === 'grade')]).toBeNull();
  });

  maybe('string keys compare exactly (case and trailing spaces matter)', async () => {
    const row = (key: string, rate: number): RowToWrite => ({ key, eventTimeMs: 5, values: [rate] });
    await store.writeRows(merchants, [row('shop', 0.1), row('SHOP', 0.2), row('shop ', 0.3)]);
    const rows = await store.readRows(merchants, ['shop', 'SHOP', 'shop ', 'Shop']);
    expect([...rows.keys()].sort()).toEqual(['SHOP', 'shop', 'shop ']);
    expect(rows.get('SHOP')!.values[0]).toBe(0.2);
    expect(rows.get('shop ')!.values[0]).toBe(0.3);
  });

  maybe('reads N entities of a view in one query', async () => {
    const keys = Array.from({ length: 500 }, (_, i) => 10_000 + i);
    await store.writeRows(
      profile,
      keys.map((k) => profileRow(k, 2000, k)),
    );
    queries.length = 0;
    const rows = await store.readRows(profile, keys);
    expect(rows.size).toBe(keys.length);
    expect(queries).toEqual(['read']);
  });

  maybe('an older event never overwrites a newer one; counts say which rows won', async () => {
    expect(await store.writeRows(profile, [profileRow(50, 3000, 3)])).toEqual({
      written: 1,
      ignoredOlder: 0,
    });
    expect(await store.writeRows(profile, [profileRow(50, 2000, 2)])).toEqual({
      written: 0,
      ignoredOlder: 1,
    });
    expect(await store.writeRows(profile, [profileRow(50, 3000, 99)])).toEqual({
      written: 0,
      ignoredOlder: 1,
    });
    expect((await store.readRows(profile, [50])).get('50')!.values[0]).toBe(3);
    expect(await store.writeRows(profile, [profileRow(50, 4000, 4, null)])).toEqual({
      written: 1,
      ignoredOlder: 0,
    });
    const latest = (await store.readRows(profile, [50])).get('50')!;
    expect(latest.eventTimeMs).toBe(4000);
    expect(latest.values[0]).toBe(4);
  });

  maybe('randomized: rows written with shuffled event times always read back as the newest', async () => {
    const seed = Date.now() % 100000;
    const random = prng(seed);
    const entities = Array.from({ length: 40 }, (_, i) => 20_000 + i);
    const rows: RowToWrite[] = [];
    for (const key of entities) {
      const versions = 1 + Math.floor(random() * 6);
      const times = new Set<number>();
      while (times.size < versions) times.add(1 + Math.floor(random() * 1e9));
      for (const t of times) rows.push(profileRow(key, t, t)); // the value encodes its own event time
    }
    for (let i = rows.length - 1; i > 0; i -= 1) {
      const j = Math.floor(random() * (i + 1));
      [rows[i], rows[j]] = [rows[j]!, rows[i]!];
    }
    // Arrive in random batches (some rows of one entity in the same batch, some in later ones).
    let written = 0;
    for (let i = 0; i < rows.length;) {
      const size = 1 + Math.floor(random() * 25);
      written += (await store.writeRows(profile, rows.slice(i, i + size))).written;
      i += size;
    }
    const stored = await store.readRows(profile, entities);
    for (const key of entities) {
      const newest = Math.max(...rows.filter((r) => r.key === key).map((r) => r.eventTimeMs));
      const row = stored.get(String(key));
      expect({ seed, key, eventTimeMs: row?.eventTimeMs, value: row?.values[0] }).toEqual({
        seed,
        key,
        eventTimeMs: newest,
        value: newest,
      });
    }
    expect(written).toBeGreaterThanOrEqual(entities.length);
    expect(written).toBeLessThanOrEqual(rows.length);
  });

  maybe('a write is one transaction: a failing batch leaves nothing behind', async () => {
    // A NULL key violates the primary key, so the batch fails after the first row was sent.
    const rows: RowToWrite[] = [
      { key: 'fine-merchant', eventTimeMs: 10, values: [0.5] },
      { key: null as unknown as string, eventTimeMs: 10, values: [0.5] },
    ];
    await expect(store.writeRows(merchants, rows)).rejects.toThrow();
    expect((await store.readRows(merchants, ['fine-merchant'])).size).toBe(0);
  });

  maybe('adding a feature to a view adds a column at the next start, keeping the data', async () => {
    const extended = path.join(tmp, 'extended');
    fs.mkdirSync(extended, { recursive: true });
    for (const file of fs.readdirSync(REGISTRY_DIR)) {
      let text = fs.readFileSync(path.join(REGISTRY_DIR, file), 'utf8');
      if (file === 'views.yaml') {
        text = text.replace(
          '      - name: chargeback_rate\n',
          '      - name: disputes_90d\n        type: int\n        default: 0\n      - name: chargeback_rate\n',
        );
      }
      fs.writeFileSync(path.join(extended, file), text);
    }
    const registry2 = loadRegistry(extended);
    const view2: FeatureView = registry2.views.get('merchant_risk')!;
    expect(view2.features.map((f) => f.name)).toEqual(['disputes_90d', 'chargeback_rate']);
    const store2 = await open(registry2);
    try {
      const before = (await store2.readRows(view2, ['shop'])).get('shop')!;
      expect(before.values).toEqual([null, 0.1]);
      await store2.writeRows(view2, [{ key: 'shop', eventTimeMs: 6, values: [7, 0.15] }]);
      expect((await store2.readRows(view2, ['shop'])).get('shop')!.values).toEqual([7, 0.15]);
      // The old registry (without the feature) still starts against the migrated store.
      const store3 = await open(registry);
      await store3.close();
    } finally {
      await store2.close();
    }
  });
});
