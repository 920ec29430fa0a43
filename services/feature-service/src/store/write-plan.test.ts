import { isDeadlock, retryOnDeadlock } from './deadlock-retry';
import type { RowToWrite } from './online-store';
import { compareKeys, planWrite, sortedKeys } from './write-plan';

const row = (key: number | string, eventTimeMs: number): RowToWrite => ({ key, eventTimeMs, values: [] });

describe('planWrite', () => {
  it('counts each row once in request order and keeps one winner per entity, sorted by key', () => {
    const rows = [row(9, 5), row(2, 1), row(9, 7), row(9, 6), row(2, 1), row(4, 3)];
    const plan = planWrite(rows, new Map([['4', 3]]));
    // 9@5 and 9@7 each became the stored state in turn; 9@6 lost to 9@7; the second 2@1 ties; 4@3 ties the store.
    expect({ written: plan.written, ignored: plan.ignoredOlder }).toEqual({ written: 3, ignored: 3 });
    expect(plan.winners).toEqual([row(2, 1), row(9, 7)]);
  });

  it('orders int keys numerically and string keys by their UTF-8 bytes', () => {
    expect(sortedKeys([row(10, 1), row(9, 1), row(10, 2), row(-3, 1)]).map(String)).toEqual([
      '-3',
      '9',
      '10',
    ]);
    expect(sortedKeys([row('b', 1), row('B', 1), row('é', 1), row('a ', 1), row('a', 1)])).toEqual([
      'B',
      'a',
      'a ',
      'b',
      'é',
    ]);
    expect(compareKeys('z', 'é')).toBeLessThan(0);
  });
});

describe('retryOnDeadlock', () => {
  const deadlock = Object.assign(new Error('Deadlock found when trying to get lock'), {
    errno: 1213,
    code: 'ER_LOCK_DEADLOCK',
  });

  it('runs a deadlocked transaction again, a bounded number of times', async () => {
    let calls = 0;
    const retried: number[] = [];
    const value = await retryOnDeadlock(
      () => {
        calls += 1;
        return calls < 3 ? Promise.reject(deadlock) : Promise.resolve('done');
      },
      { onRetry: (attempt) => retried.push(attempt) },
    );
    expect({ value, calls, retried }).toEqual({ value: 'done', calls: 3, retried: [1, 2] });

    calls = 0;
    await expect(
      retryOnDeadlock(() => {
        calls += 1;
        return Promise.reject(deadlock);
      }),
    ).rejects.toBe(deadlock);
    expect(calls).toBe(4);
  });

  it('does not retry other errors', async () => {
    let calls = 0;
    const other = Object.assign(new Error('Lock wait timeout exceeded'), { errno: 1205 });
    await expect(
      retryOnDeadlock(() => {
        calls += 1;
        return Promise.reject(other);
      }),
    ).rejects.toBe(other);
    expect(calls).toBe(1);
    expect(isDeadlock(deadlock)).toBe(true);
    expect(isDeadlock(other)).toBe(false);
    expect(isDeadlock(undefined)).toBe(false);
  });
});
