/**
 * Starts tracing before anything else loads. Use it one of two ways (both supported):
 *
 *   import '@tally/telemetry/register';   // the very first line of a service's src/main.ts
 *   node --require <abs>/packages/telemetry/dist/register.js dist/main.js
 *
 * See the package README for which to prefer. Without OTEL_EXPORTER_OTLP_ENDPOINT it only
 * attaches trace ids to log lines (there are none) and costs nothing else.
 */
import { startTelemetry } from './start-telemetry';

startTelemetry();
