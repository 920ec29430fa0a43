import type { Logger } from '@tally/grpc-kit';
import type { EventSink } from './event-stream-consumer';
import { EventStreamConsumer } from './event-stream-consumer';
import { JetStreamSource } from './jetstream-source';
import type { JetStreamSourceOptions } from './jetstream-source';
import type { StreamMetrics } from './stream-metrics';

export interface EventStreamSettings extends Omit<JetStreamSourceOptions, 'logger' | 'maxAckPending'> {
  readonly batchSize: number;
  readonly retryDelayMs: number;
}

/** A running consumer (or one still connecting); `stop()` ends either. */
export interface RunningEventStream {
  stop(): Promise<void>;
}

/**
 * Connects to JetStream in the background (a NATS outage never stops the service from starting or
 * serving), then runs the consumer until `stop()`.
 */
export function startEventStream(
  settings: EventStreamSettings,
  writer: EventSink,
  logger: Logger,
  metrics?: StreamMetrics,
): RunningEventStream {
  let stopped = false;
  let consumer: EventStreamConsumer | undefined;
  const opening = (async () => {
    for (let attempt = 1; !stopped; attempt++) {
      try {
        const source = await JetStreamSource.open({
          ...settings,
          // Room for several replicas' batches at once; JetStream stops delivering beyond it.
          maxAckPending: settings.batchSize * 16,
          logger,
        });
        if (stopped) return source.close();
        consumer = new EventStreamConsumer({
          source,
          writer,
          batchSize: settings.batchSize,
          retryDelayMs: settings.retryDelayMs,
          writeTimeoutMs: Math.max(1000, Math.floor(settings.ackWaitMs / 2)),
          logger,
          metrics,
        });
        consumer.start();
        logger.info('consuming events', {
          stream: settings.stream,
          consumer: settings.consumer,
          subjects: `${settings.subjectPrefix}.>`,
          dead_letter_subject: settings.deadLetterSubject,
          batch_size: settings.batchSize,
        });
        return;
      } catch (err) {
        logger.warn('event stream not ready; retrying', { attempt, error: String(err) });
        await new Promise((r) => setTimeout(r, Math.min(5000, settings.retryDelayMs * attempt)));
      }
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await opening;
      await consumer?.stop();
    },
  };
}
