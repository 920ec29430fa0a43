import { AckPolicy, DeliverPolicy, StorageType, jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { Consumer, ConsumerMessages, JetStreamClient, JsMsg } from '@nats-io/jetstream';
import { connect, headers, nanos } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Logger } from '@tally/grpc-kit';
import type { EventStreamSource, StreamMessage } from './event-stream-source';

export interface JetStreamSourceOptions {
  /** nats://host:port, or several separated by commas. */
  readonly servers: string;
  /** The stream; created (file storage, subjects `<subjectPrefix>.>`) when it does not exist. */
  readonly stream: string;
  /** Events of source S are published on `<subjectPrefix>.S`. */
  readonly subjectPrefix: string;
  /** The durable pull consumer every replica shares (each message goes to one replica). */
  readonly consumer: string;
  /** Poison messages are published here (stream `<stream>_DEAD_LETTER`, created when missing). */
  readonly deadLetterSubject: string;
  /** Unacknowledged this long, a message is delivered again (e.g. its consumer crashed). */
  readonly ackWaitMs: number;
  /** Most messages delivered and not yet acknowledged, over all replicas together. */
  readonly maxAckPending: number;
  readonly logger: Logger;
}

/** How long one pull request waits on the server for messages. */
const PULL_EXPIRES_MS = 5000;
/** Once a message arrived, how long to wait for more before handing the batch over. */
const LINGER_MS = 5;

const TIMEOUT = Symbol('timeout');

/** Resolves with TIMEOUT after `ms`, or when `signal` aborts. */
function wait(ms: number, signal: AbortSignal): Promise<typeof TIMEOUT> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(TIMEOUT);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(TIMEOUT);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(TIMEOUT);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * The JetStream side of the consumer: a durable pull consumer with explicit acks, read through one
 * outstanding pull request of at most `max` messages at a time (so no more than that is held
 * unacknowledged here), handed over in batches as they arrive.
 */
export class JetStreamSource implements EventStreamSource {
  readonly #options: JetStreamSourceOptions;
  readonly #connection: NatsConnection;
  readonly #js: JetStreamClient;
  readonly #consumer: Consumer;
  #messages: ConsumerMessages | undefined;
  #iterator: AsyncIterator<JsMsg> | undefined;
  #pending: Promise<IteratorResult<JsMsg>> | undefined;

  private constructor(
    options: JetStreamSourceOptions,
    connection: NatsConnection,
    js: JetStreamClient,
    consumer: Consumer,
  ) {
    this.#options = options;
    this.#connection = connection;
    this.#js = js;
    this.#consumer = consumer;
  }

  /** Connects (waiting for NATS), makes sure the streams and the durable consumer exist. */
  static async open(options: JetStreamSourceOptions): Promise<JetStreamSource> {
    const connection = await connect({
      servers: options.servers.split(',').map((s) => s.trim()),
      name: `feature-service events ${options.consumer}`,
      // The first connect fails fast (the caller retries); once connected, reconnect for ever.
      maxReconnectAttempts: -1,
      reconnectTimeWait: 500,
    });
    try {
      const jsm = await jetstreamManager(connection);
      const ensureStream = async (name: string, subject: string) => {
        try {
          await jsm.streams.info(name);
        } catch {
          await jsm.streams.add({ name, subjects: [subject], storage: StorageType.File });
          options.logger.info('stream created', { stream: name, subject });
        }
      };
      await ensureStream(options.stream, `${options.subjectPrefix}.>`);
      await ensureStream(`${options.stream}_DEAD_LETTER`, options.deadLetterSubject);
      const config = {
        ack_wait: nanos(options.ackWaitMs),
        max_ack_pending: options.maxAckPending,
        max_deliver: -1,
      };
      try {
        await jsm.consumers.info(options.stream, options.consumer);
        await jsm.consumers.update(options.stream, options.consumer, config);
      } catch {
        await jsm.consumers.add(options.stream, {
          ...config,
          durable_name: options.consumer,
          ack_policy: AckPolicy.Explicit,
          deliver_policy: DeliverPolicy.All,
          filter_subject: `${options.subjectPrefix}.>`,
        });
      }
      const js = jetstream(connection);
      const consumer = await js.consumers.get(options.stream, options.consumer);
      return new JetStreamSource(options, connection, js, consumer);
    } catch (err) {
      await connection.close().catch(() => undefined);
      throw err;
    }
  }

  async fetch(max: number, signal: AbortSignal): Promise<StreamMessage[]> {
    const out: StreamMessage[] = [];
    const first = await this.#next(max, PULL_EXPIRES_MS, signal);
    if (first === undefined) return out;
    out.push(this.#wrap(first));
    while (out.length < max) {
      const more = await this.#next(max, LINGER_MS, signal);
      if (more === undefined) break;
      out.push(this.#wrap(more));
    }
    return out;
  }

  /** The next delivered message within `waitMs`, pulling up to `max` when no pull is outstanding. */
  async #next(max: number, waitMs: number, signal: AbortSignal): Promise<JsMsg | undefined> {
    const deadline = performance.now() + waitMs;
    while (!signal.aborted) {
      if (this.#iterator === undefined) {
        this.#messages = await this.#consumer.fetch({ max_messages: max, expires: PULL_EXPIRES_MS });
        this.#iterator = this.#messages[Symbol.asyncIterator]();
      }
      this.#pending ??= this.#iterator.next();
      const left = deadline - performance.now();
      let result: IteratorResult<JsMsg> | typeof TIMEOUT;
      try {
        result = await Promise.race([this.#pending, wait(Math.max(0, left), signal)]);
      } catch (err) {
        this.#iterator = undefined; // the pull failed (e.g. the connection dropped): start a new one
        this.#pending = undefined;
        throw err;
      }
      if (result === TIMEOUT) return undefined; // keep the pending read for the next call
      this.#pending = undefined;
      if (!result.done) return result.value;
      this.#iterator = undefined; // this pull is over (all delivered, or expired): pull again
      if (performance.now() >= deadline) return undefined;
    }
    return undefined;
  }

  #wrap(msg: JsMsg): StreamMessage {
    const prefix = `${this.#options.subjectPrefix}.`;
    const source = msg.subject.startsWith(prefix) ? msg.subject.slice(prefix.length) : msg.subject;
    return {
      source,
      data: msg.data,
      position: `${msg.info.stream}#${msg.info.streamSequence}`,
      deliveries: msg.info.deliveryCount,
      ack: () => msg.ack(),
      retryLater: (delayMs) => msg.nak(delayMs),
      setAside: async (reason) => {
        const h = headers();
        h.set('Tally-Dead-Letter-Reason', reason.slice(0, 1000));
        h.set('Tally-Original-Subject', msg.subject);
        h.set('Tally-Original-Position', `${msg.info.stream}#${msg.info.streamSequence}`);
        // Stored in the dead-letter stream before the original is terminated: nothing is lost.
        await this.#js.publish(this.#options.deadLetterSubject, msg.data, { headers: h });
        // No reason on +TERM: NATS servers before 2.10 ignore a +TERM that carries one.
        msg.term();
      },
    };
  }

  async close(): Promise<void> {
    this.#messages?.stop();
    await this.#connection.drain().catch(() => this.#connection.close());
  }
}
