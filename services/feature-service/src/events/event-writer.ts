import { CancelledError, InvalidArgumentError, TallyError, UnavailableError } from '@tally/grpc-kit';
import type { EventSource, Registry } from '../registry';
import type { EventStore } from '../store';
import type { EventInput, WriteResult } from './event-input';
import { validateEvents } from './validate-events';
import type { EventLimits } from './validate-events';

export interface EventWriterOptions {
  readonly registry: Registry;
  readonly store: EventStore;
  readonly limits: EventLimits;
  /** The service clock (ms); tests may fix it. */
  readonly now?: () => number;
  /** Called after each write that stored something (e.g. to count, or to notify other replicas). */
  readonly onWritten?: (source: EventSource, result: WriteResult) => void;
}

/**
 * The one path by which events enter the store, for the WriteEvents RPC and every stream consumer
 * alike. `write` validates every event first (InvalidArgumentError naming `events[i].<field>`, or
 * `source`, before anything is written), then stores the batch in one transaction: all of it, or
 * nothing (UnavailableError naming the store). Idempotent by event id, so a batch may be retried.
 */
export class EventWriter {
  readonly #options: EventWriterOptions;

  constructor(options: EventWriterOptions) {
    this.#options = options;
  }

  /** The store as callers see it in UNAVAILABLE messages, e.g. "online store (mysql)". */
  get storeName(): string {
    return `online store (${this.#options.store.dialect})`;
  }

  /** The event source named `name`; InvalidArgumentError on `source` when unknown. */
  source(name: string): EventSource {
    if (!name) throw new InvalidArgumentError('source', 'required: an event source name');
    const source = this.#options.registry.eventSources.get(name);
    if (source === undefined) {
      const known = [...this.#options.registry.eventSources.keys()].sort().join(', ') || 'none';
      throw new InvalidArgumentError('source', `unknown event source '${name}' (known: ${known})`);
    }
    return source;
  }

  /**
   * Writes a batch of events of one source. When `signal` aborts, the returned promise rejects at
   * once with the signal's reason (a TallyError) or CANCELLED; the transaction itself is never cut
   * in the middle, so it either commits whole or not at all, and a retry is safe either way.
   */
  async write(source: string, events: readonly EventInput[], signal?: AbortSignal): Promise<WriteResult> {
    const definition = this.source(source);
    const now = (this.#options.now ?? Date.now)();
    const valid = validateEvents(definition, events, this.#options.limits, now);
    if (signal?.aborted) throw abortError(signal);
    const writing = this.#options.store.append(definition, valid).then(
      (outcome) => {
        const result = { written: outcome.written, duplicates: outcome.duplicates };
        this.#options.onWritten?.(definition, result);
        return result;
      },
      (err: unknown) => {
        throw new UnavailableError(this.storeName, reasonOf(err));
      },
    );
    if (signal === undefined) return writing;
    writing.catch(() => undefined);
    return new Promise<WriteResult>((resolve, reject) => {
      const onAbort = () => reject(abortError(signal));
      signal.addEventListener('abort', onAbort, { once: true });
      writing.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }
}

function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof TallyError ? signal.reason : new CancelledError('event write aborted');
}

function reasonOf(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  return String(err);
}
