import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '@tally/testkit';
import { DAY_MS, MINUTE_MS } from '@tally/windows';
import { loadRegistry } from '../registry';
import { EventStore, OnlineStore, parseStoreUrl } from '../store';
import { EventSweeper } from './event-sweeper';
import { EventWriter } from './event-writer';

const registry = loadRegistry(path.join(repoRoot(), 'features/test/events-registry'));
const NOW = Date.parse('2026-12-06T10:30:20.000Z');
const LIMITS = { maxEventsPerWrite: 100, allowedLatenessMs: DAY_MS, maxFutureMs: 5 * MINUTE_MS };

describe('EventSweeper', () => {
  let tmp: string;
  let online: OnlineStore;
  let store: EventStore;

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-sweeper-'));
    online = await OnlineStore.open(parseStoreUrl(`sqlite:${path.join(tmp, 's.sqlite')}`)!, registry, {
      poolSize: 1,
      connectTimeoutMs: 1000,
    });
    store = new EventStore(online.db, online.dialect);
    const writer = new EventWriter({ registry, store, limits: LIMITS, now: () => NOW });
    // 4 events of one applicant, 1 day apart: each makes 5 tiles (one per series and tile size).
    const events = [0, 1, 2, 3].map((d) => ({
      eventId: `s${d}`,
      eventTimeMs: NOW - d * DAY_MS,
      keys: { applicant_id: { kind: 'int64Value' as const, int64Value: 1 } },
      fields: {},
    }));
    expect(await writer.write('test_purchases', events)).toEqual({ written: 4, duplicates: 0 });
  });

  afterAll(async () => {
    await online?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const count = async (table: string) =>
    Number(
      (
        await online.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('keeps what a window or the retention still needs', async () => {
    // 2 days later: the 1h and 24h tiles of the older events expired, the 7d and 30d ones did not;
    // every event is within the 60-day retention.
    const sweeper = new EventSweeper({
      registry,
      store,
      intervalMs: 1000,
      maxRows: 1000,
      allowedLatenessMs: DAY_MS,
      maxFutureMs: 5 * MINUTE_MS,
      now: () => NOW + 2 * DAY_MS,
      onError: (_source, err) => errors.push(err),
    });
    const errors: unknown[] = [];
    await sweeper.sweepOnce();
    expect(errors).toEqual([]);
    expect(await count('ev_test_purchases')).toBe(4);
    expect(await count('et_test_purchases')).toBe(4 * 2); // the 2h and 8h tiles of series '*'
  });

  it('deletes at most maxRows per run, from a timer the service starts and stops', async () => {
    const swept: Array<{ tiles: number; events: number }> = [];
    const sweeper = new EventSweeper({
      registry,
      store,
      intervalMs: 10,
      maxRows: 3,
      allowedLatenessMs: DAY_MS,
      maxFutureMs: 5 * MINUTE_MS,
      now: () => NOW + 400 * DAY_MS,
      onSwept: (source, deleted) => {
        if (source === 'test_purchases') swept.push(deleted);
      },
    });
    sweeper.start();
    while (swept.length < 4) await new Promise((r) => setTimeout(r, 10));
    await sweeper.stop();
    expect(swept.slice(0, 3)).toEqual([
      { tiles: 3, events: 3 },
      { tiles: 3, events: 1 },
      { tiles: 2, events: 0 },
    ]);
    expect(await count('ev_test_purchases')).toBe(0);
    expect(await count('et_test_purchases')).toBe(0);
  });
});
