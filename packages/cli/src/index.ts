export { runIngest, INGEST_USAGE } from './commands/ingest';
export type { IngestSummary } from './commands/ingest';
export { runScore, SCORE_USAGE, DEFAULT_MODEL_SERVER, scoreResultJson } from './commands/score';
export { runModels, MODELS_USAGE, modelsTable } from './commands/models';
export {
  runFeatures,
  FEATURES_USAGE,
  DEFAULT_FEATURE_SERVICE,
  describeText,
  listText,
  formatMaxAge,
} from './commands/features';
export { runEvents, EVENTS_USAGE } from './commands/events';
export type { EventsIngestSummary } from './commands/events';
export { DEMO_EVENTS, demoEvents, writeDemoEvents } from './demo-events';
export type { DemoEvent, DemoEventsOptions } from './demo-events';
export { runStatus, STATUS_USAGE } from './commands/status';
export { runDecisions, DECISIONS_USAGE, decisionText, decisionsTable } from './commands/decisions';
export { parseTimeFlag } from './time-flag';
export { populationStability, EMPTY_BIN_SHARE } from './psi';
export type { StabilityReport } from './psi';
export { serviceHealth } from './service-health';
export {
  DEMO_DATA,
  demoIngestArgs,
  demoDataLoaded,
  readDemoRows,
  demoEventsIngestArgs,
  demoEventsLoaded,
} from './demo-data';
export { UsageError } from './usage-error';
export { CommandFailure } from './command-failure';
export { textTable } from './text-table';
export { readRecords, formatOf } from './record-reader';
export type { FileFormat, InputRecord } from './record-reader';
