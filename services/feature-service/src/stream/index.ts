export type { EventStreamSource, StreamMessage } from './event-stream-source';
export { EventStreamConsumer } from './event-stream-consumer';
export type { EventSink, EventStreamConsumerOptions } from './event-stream-consumer';
export { JetStreamSource } from './jetstream-source';
export type { JetStreamSourceOptions } from './jetstream-source';
export { decodeStreamEvent, PoisonMessageError } from './stream-event-decoder';
export { StreamMetrics } from './stream-metrics';
export { startEventStream } from './start-event-stream';
export type { EventStreamSettings, RunningEventStream } from './start-event-stream';
