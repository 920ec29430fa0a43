export { startTelemetry, shutdownTelemetry, telemetryStatus, activeTraceIds } from './start-telemetry';
export type { TelemetryStatus } from './start-telemetry';
export { otelConfigSpec, otelConfigProblems } from './otel-config';
export { withSpan, recordError, tallyTracer, TRACER_NAME } from './spans';
export { captureEnqueue, startBatchSpan, BATCH_ATTRIBUTES } from './batch-tracing';
export type { BatchSpanOptions, BatchTrace, EnqueuedRequestTrace } from './batch-tracing';
