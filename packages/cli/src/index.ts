export { runIngest, INGEST_USAGE, UsageError } from './commands/ingest';
export type { IngestSummary } from './commands/ingest';
export { readRecords, formatOf } from './record-reader';
export type { FileFormat, InputRecord } from './record-reader';
