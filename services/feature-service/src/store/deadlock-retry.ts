import { setTimeout as sleep } from 'node:timers/promises';

/** MySQL's ER_LOCK_DEADLOCK: InnoDB rolled the transaction back to break a lock cycle. */
const ER_LOCK_DEADLOCK = 1213;

/** Attempts of one write when the database reports deadlocks (the first one included). */
export const WRITE_ATTEMPTS = 4;

/** Whether `err` is a deadlock the database resolved by rolling this transaction back. */
export function isDeadlock(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { errno, code } = err as { errno?: unknown; code?: unknown };
  return errno === ER_LOCK_DEADLOCK || code === 'ER_LOCK_DEADLOCK';
}

export interface DeadlockRetryOptions {
  /** Attempts in all (default WRITE_ATTEMPTS). */
  readonly attempts?: number;
  /** Called before each retry with the attempt that failed (1-based). */
  readonly onRetry?: (attempt: number, err: unknown) => void;
}

/**
 * Runs `transaction` again when the database reports a deadlock, at most `attempts` times in all,
 * after a short jittered pause that grows with each attempt (so the two parties of a cycle do not
 * collide again). A deadlocked transaction was rolled back entirely, so running it again is safe.
 * Any other error, and the last deadlock, is thrown as is.
 */
export async function retryOnDeadlock<T>(
  transaction: () => Promise<T>,
  options: DeadlockRetryOptions = {},
): Promise<T> {
  const attempts = options.attempts ?? WRITE_ATTEMPTS;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await transaction();
    } catch (err) {
      if (!isDeadlock(err) || attempt >= attempts) throw err;
      options.onRetry?.(attempt, err);
      await sleep(Math.round(5 * attempt + Math.random() * 20 * attempt));
    }
  }
}
