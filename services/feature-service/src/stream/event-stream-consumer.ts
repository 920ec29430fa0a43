import { DeadlineExceededError, InvalidArgumentError } from '@tally/grpc-kit';
import type { Logger } from '@tally/grpc-kit';
import type { EventInput, WriteResult } from '../events';
import type { EventStreamSource, StreamMessage } from './event-stream-source';
import { PoisonMessageError, decodeStreamEvent } from './stream-event-decoder';
import type { StreamMetrics } from './stream-metrics';

/** What the consumer writes through: EventWriter.write, the one path shared with WriteEvents. */
export interface EventSink {
  write(source: string, events: readonly EventInput[], signal?: AbortSignal): Promise<WriteResult>;
}

export interface EventStreamConsumerOptions {
  readonly source: EventStreamSource;
  readonly writer: EventSink;
  /** Most messages fetched and written at once (at most the writer's events per write). */
  readonly batchSize: number;
  /** After the store failed: redeliver after this long, and pause fetching as long. */
  readonly retryDelayMs: number;
  /** Longest one write may take before its messages are delivered again (below the ack wait). */
  readonly writeTimeoutMs: number;
  readonly logger: Logger;
  readonly metrics?: StreamMetrics;
}

interface Pending {
  readonly message: StreamMessage;
  readonly event: EventInput;
}

/** `events[3].amount` → 3. */
function eventIndexOf(err: InvalidArgumentError): number | undefined {
  const match = /^events\[(\d+)\]/.exec(err.field);
  return match ? Number(match[1]) : undefined;
}

/**
 * Moves events from a stream into the store: fetch a batch, write it through the EventWriter, ack
 * only what committed. At-least-once delivery, effectively once through the writer's event-id
 * deduplication. One batch in flight at a time (backpressure: nothing more is fetched until it is
 * settled). A poison message (not an event, or refused by validation) is set aside and counted; the
 * rest of its batch is written. A store failure redelivers the batch later: nothing is lost.
 */
export class EventStreamConsumer {
  readonly #options: EventStreamConsumerOptions;
  readonly #stop = new AbortController();
  #running: Promise<void> | undefined;

  constructor(options: EventStreamConsumerOptions) {
    this.#options = options;
  }

  start(): void {
    this.#running ??= this.#loop();
  }

  /** Finishes the batch in hand, stops fetching and closes the source. */
  async stop(): Promise<void> {
    this.#stop.abort();
    await this.#running;
    await this.#options.source.close();
  }

  async #loop(): Promise<void> {
    const { source, logger, batchSize, retryDelayMs } = this.#options;
    const signal = this.#stop.signal;
    while (!signal.aborted) {
      let batch: StreamMessage[];
      try {
        batch = await source.fetch(batchSize, signal);
      } catch (err) {
        logger.warn('event stream fetch failed; retrying', { error: String(err) });
        await this.#pause(retryDelayMs);
        continue;
      }
      if (batch.length === 0) continue;
      this.#options.metrics?.batchSize.observe(batch.length);
      let storeFailed = false;
      try {
        storeFailed = await this.#handle(batch);
      } catch (err) {
        // Unexpected (e.g. the dead-letter publish failed): whatever is unsettled is redelivered.
        logger.error('event stream batch failed; its unsettled messages will be delivered again', {
          error: String(err),
        });
        storeFailed = true;
      }
      if (storeFailed) await this.#pause(retryDelayMs);
    }
  }

  #pause(ms: number): Promise<void> {
    const signal = this.#stop.signal;
    return new Promise((resolve) => {
      const onAbort = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Settles every message of `batch`; true when the store failed (the caller pauses). */
  async #handle(batch: readonly StreamMessage[]): Promise<boolean> {
    const bySource = new Map<string, Pending[]>();
    for (const message of batch) {
      let event: EventInput;
      try {
        event = decodeStreamEvent(message.data);
      } catch (err) {
        if (!(err instanceof PoisonMessageError)) throw err;
        await this.#setAside(message, err.reason);
        continue;
      }
      let group = bySource.get(message.source);
      if (group === undefined) bySource.set(message.source, (group = []));
      group.push({ message, event });
    }
    let storeFailed = false;
    for (const [source, group] of bySource) {
      if (!(await this.#write(source, group))) storeFailed = true;
    }
    return storeFailed;
  }

  /** Writes one source's events; false when the store failed (they are delivered again later). */
  async #write(source: string, group: Pending[]): Promise<boolean> {
    const { writer, metrics, logger } = this.#options;
    let pending = group;
    while (pending.length > 0) {
      const timeoutMs = this.#options.writeTimeoutMs;
      const controller = new AbortController();
      const timer = setTimeout(
        () =>
          controller.abort(
            new DeadlineExceededError(`the store did not finish the write within ${timeoutMs} ms`),
          ),
        timeoutMs,
      );
      try {
        const result = await writer.write(
          source,
          pending.map((p) => p.event),
          controller.signal,
        );
        for (const p of pending) p.message.ack();
        metrics?.messages.inc({ source, outcome: 'written' }, result.written);
        metrics?.messages.inc({ source, outcome: 'duplicate' }, result.duplicates);
        return true;
      } catch (err) {
        if (err instanceof InvalidArgumentError) {
          const index = eventIndexOf(err);
          if (index !== undefined && index < pending.length) {
            // One event is refused: set it aside and write the others (validation is all-or-nothing).
            await this.#setAside(pending[index]!.message, err.message);
            pending = pending.filter((_, i) => i !== index);
            continue;
          }
          // The whole group is refused (e.g. an unknown source): every message of it is poison.
          for (const p of pending) await this.#setAside(p.message, err.message);
          return true;
        }
        // The store is unavailable or slow (a timed-out write may still commit: the retry is deduplicated).
        logger.warn('event stream write failed; the batch will be delivered again', {
          source,
          events: pending.length,
          retry_in_ms: this.#options.retryDelayMs,
          error: err instanceof Error ? err.message : String(err),
        });
        for (const p of pending) p.message.retryLater(this.#options.retryDelayMs);
        metrics?.messages.inc({ source, outcome: 'retried' }, pending.length);
        return false;
      } finally {
        clearTimeout(timer);
      }
    }
    return true;
  }

  async #setAside(message: StreamMessage, reason: string): Promise<void> {
    await message.setAside(reason);
    this.#options.metrics?.messages.inc({ source: message.source, outcome: 'dead_lettered' });
    this.#options.logger.warn('poison message set aside', {
      source: message.source,
      position: message.position,
      reason,
    });
  }
}
