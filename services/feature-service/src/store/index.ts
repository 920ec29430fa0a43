export { OnlineStore, keyText } from './online-store';
export type {
  EntityKey,
  OnlineStoreOptions,
  RowToWrite,
  StoreOperation,
  StoredRow,
  WriteOutcome,
} from './online-store';
export { parseStoreUrl, describeStoreTarget } from './store-url';
export type { StoreDialect, StoreTarget } from './store-url';
export { migrateStore, registryMigrations } from './migrations';
export { tableOf, featureColumn, keyColumn } from './store-schema';
export { EventStore, tileDeltas } from './event-store';
export type { AppendOutcome, EventToStore, TileRange, TileRow } from './event-store';
export { MAX_EVENT_ID_LENGTH, eventTableOf, tileTableOf } from './event-schema';
