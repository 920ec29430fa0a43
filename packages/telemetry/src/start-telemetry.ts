import fs from 'node:fs';
import path from 'node:path';
import { isSpanContextValid, trace } from '@opentelemetry/api';
import type * as ExporterModule from '@opentelemetry/exporter-trace-otlp-grpc';
import type * as InstrumentationModule from '@opentelemetry/instrumentation-grpc';
import type { NodeSDK } from '@opentelemetry/sdk-node';
import type * as SdkModule from '@opentelemetry/sdk-node';
import type * as GrpcKit from '@tally/grpc-kit';
import { otelConfigProblems } from './otel-config';

/** Whether this process exports traces, and if not, why. */
export type TelemetryStatus =
  { state: 'on'; serviceName: string; endpoint: string } | { state: 'off'; reason: string };

/** gRPC methods never traced: health probes and reflection would drown the real traffic. */
const UNTRACED_METHODS = ['Check', 'Watch', 'ServerReflectionInfo'];

let sdk: NodeSDK | undefined;
let status: TelemetryStatus | undefined;

/** The name of the package holding the entry script (`@tally/model-server` → `model-server`). */
function entryPackageName(): string | undefined {
  let dir = process.argv[1] ? path.dirname(path.resolve(process.argv[1])) : undefined;
  while (dir !== undefined) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: unknown };
      if (typeof pkg.name === 'string' && pkg.name !== '') return pkg.name.replace(/^@[^/]+\//, '');
    } catch {
      // no (readable) package.json here: keep walking up
    }
    const parent = path.dirname(dir);
    dir = parent === dir ? undefined : parent;
  }
  return undefined;
}

/** trace_id and span_id of the active span, for JSON log lines. */
export function activeTraceIds(): { trace_id: string; span_id: string } | undefined {
  const spanContext = trace.getActiveSpan()?.spanContext();
  if (spanContext === undefined || !isSpanContextValid(spanContext)) return undefined;
  return { trace_id: spanContext.traceId, span_id: spanContext.spanId };
}

function offReason(env: NodeJS.ProcessEnv): string | undefined {
  if ((env.OTEL_SDK_DISABLED ?? '').trim().toLowerCase() === 'true') return 'OTEL_SDK_DISABLED=true';
  if (env.OTEL_TRACES_EXPORTER === 'none') return 'OTEL_TRACES_EXPORTER=none';
  if (!env.OTEL_EXPORTER_OTLP_ENDPOINT && !env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) {
    return 'no OTEL_EXPORTER_OTLP_ENDPOINT';
  }
  return undefined;
}

/**
 * Starts tracing for this process; call it before anything else is loaded (the register hook does).
 * With an OTLP endpoint set: the OpenTelemetry NodeSDK with the OTLP/gRPC trace exporter, gRPC
 * client and server instrumentation (context carried in gRPC metadata), the standard OTEL_*
 * variables honoured. Without one (or with OTEL_SDK_DISABLED=true): nothing is loaded or patched,
 * and the span helpers fall back to the API's no-op tracer.
 *
 * When on, JSON log lines written through @tally/grpc-kit carry the active trace_id/span_id.
 * A bad OTEL_* value ends the process with exit code 2 naming the variable, like any service config.
 * Calling it again does nothing.
 */
export function startTelemetry(env: NodeJS.ProcessEnv = process.env): TelemetryStatus {
  if (status !== undefined) return status;
  const problems = otelConfigProblems(env);
  if (problems.length > 0) {
    process.stderr.write(`telemetry: Invalid configuration:\n  ${problems.join('\n  ')}\n`);
    process.exit(2);
  }
  const reason = offReason(env);
  if (reason !== undefined) {
    status = { state: 'off', reason };
    return status;
  }
  // Loaded only when tracing is on, and before anything loads @grpc/grpc-js.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { NodeSDK: Sdk } = require('@opentelemetry/sdk-node') as typeof SdkModule;
  const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-grpc') as typeof ExporterModule;
  const { GrpcInstrumentation } =
    require('@opentelemetry/instrumentation-grpc') as typeof InstrumentationModule;
  /* eslint-enable @typescript-eslint/no-require-imports */
  const serviceName = env.OTEL_SERVICE_NAME || entryPackageName() || 'unknown_service:node';
  sdk = new Sdk({
    serviceName,
    traceExporter: new OTLPTraceExporter(),
    instrumentations: [new GrpcInstrumentation({ ignoreGrpcMethods: UNTRACED_METHODS })],
    // Traces only: metrics are Prometheus (grpc-kit), logs are JSON lines on stdout.
    metricReaders: [],
    logRecordProcessors: [],
  });
  sdk.start();
  status = {
    state: 'on',
    serviceName,
    endpoint: env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || env.OTEL_EXPORTER_OTLP_ENDPOINT || '',
  };
  registerLogCorrelation();
  return status;
}

function registerLogCorrelation(): void {
  // Required after the instrumentation is installed: grpc-kit loads @grpc/grpc-js.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const kit = require('@tally/grpc-kit') as typeof GrpcKit;
  kit.setTraceContextProvider(activeTraceIds);
}

/** Whether tracing is on (undefined before `startTelemetry`). */
export function telemetryStatus(): TelemetryStatus | undefined {
  return status;
}

/**
 * Flushes buffered spans and stops the exporter; call it from the service's close hook. Never takes
 * longer than `timeoutMs` (a collector that is down must not hold up shutdown). Resolves `true` when
 * everything was flushed.
 */
export async function shutdownTelemetry(timeoutMs = 5000): Promise<boolean> {
  const running = sdk;
  if (running === undefined) return true;
  sdk = undefined;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([running.shutdown().then(() => true), timedOut]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
