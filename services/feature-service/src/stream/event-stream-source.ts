/**
 * What the stream consumer needs from a broker, and nothing more: JetStream implements it here
 * (jetstream-source.ts); a Kafka source would implement the same two methods (docs/event-stream.md).
 */

/** One delivered message, not yet settled. Exactly one of ack / retryLater / setAside is called. */
export interface StreamMessage {
  /** The event source the message belongs to (from the subject or topic). */
  readonly source: string;
  /** The payload: JSON of one event (docs/event-stream.md). */
  readonly data: Uint8Array;
  /** Where the message sits in the broker, for logs (e.g. `TALLY_EVENTS#42`, `topic/3@1337`). */
  readonly position: string;
  /** How many times it has been delivered, this time included. */
  readonly deliveries: number;
  /** Done: the event is stored (or was already). */
  ack(): void;
  /** Deliver it again after `delayMs` (the store was down): nothing is lost. */
  retryLater(delayMs: number): void;
  /** A poison message: keep it aside with `reason` (a dead-letter subject or topic), never deliver it again. */
  setAside(reason: string): Promise<void>;
}

export interface EventStreamSource {
  /**
   * Up to `max` messages: waits until at least one arrives (or `signal` aborts, or the source's own
   * poll interval passes: then []), and returns what arrived without a noticeable pause after it.
   * The source holds at most `max` unsettled messages it has not returned, so the consumer's
   * in-flight work stays bounded.
   */
  fetch(max: number, signal: AbortSignal): Promise<StreamMessage[]>;
  /** Stops fetching; unsettled messages are delivered again later (to this or another replica). */
  close(): Promise<void>;
}
