export { EventWriter } from './event-writer';
export type { EventWriterOptions } from './event-writer';
export type { EventInput, Value, WriteResult } from './event-input';
export { validateEvents } from './validate-events';
export type { EventLimits } from './validate-events';
export { EventSweeper } from './event-sweeper';
export type { EventSweeperOptions } from './event-sweeper';
