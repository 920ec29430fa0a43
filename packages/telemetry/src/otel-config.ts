import type { ConfigSpec, EnvVar } from '@tally/grpc-kit';

/*
 * This file must not load @tally/grpc-kit at run time (only its types): it is read by the register
 * hook before the gRPC instrumentation is installed, and grpc-kit loads @grpc/grpc-js.
 */

function variable<T>(
  description: string,
  allowed: string,
  defaultValue: T | undefined,
  defaultText: string,
  parse: (raw: string) => T | undefined,
): EnvVar<T> {
  return { description, allowed, defaultValue, defaultText, parse };
}

const SAMPLERS = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
] as const;

const PROPAGATORS = ['tracecontext', 'baggage', 'b3', 'b3multi', 'jaeger', 'none'] as const;

function parseUrl(raw: string): string | undefined {
  try {
    const url = new URL(raw);
    return url.protocol === 'http:' || url.protocol === 'https:' ? raw : undefined;
  } catch {
    return undefined;
  }
}

function parseCount(raw: string, min: number, max: number): number | undefined {
  if (!/^\d+$/.test(raw.trim())) return undefined;
  const n = Number(raw.trim());
  return n >= min && n <= max ? n : undefined;
}

const parseBoolean = (raw: string): boolean | undefined => {
  const v = raw.trim().toLowerCase();
  return v === 'true' ? true : v === 'false' ? false : undefined;
};

/**
 * The standard OpenTelemetry variables a Tally service honours (read by the OpenTelemetry SDK
 * itself; validated by `startTelemetry`, which refuses to start on a bad value). A config-spec
 * object like each service's own, so READMEs, Helm values and docker-compose can be checked
 * against it. Tracing is on only when an OTLP endpoint is set and the SDK is not disabled.
 */
export const otelConfigSpec = {
  OTEL_EXPORTER_OTLP_ENDPOINT: variable<string>(
    'OTLP/gRPC collector (or Jaeger) that receives traces, e.g. http://jaeger:4317. Unset = tracing off.',
    'an http:// or https:// URL',
    '',
    '(unset: tracing off)',
    parseUrl,
  ),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: variable<string>(
    'Trace-specific OTLP/gRPC endpoint; overrides OTEL_EXPORTER_OTLP_ENDPOINT for traces.',
    'an http:// or https:// URL',
    '',
    '(unset)',
    parseUrl,
  ),
  OTEL_SDK_DISABLED: variable<boolean>(
    'Turns tracing off even when an endpoint is set.',
    'true or false',
    false,
    'false',
    parseBoolean,
  ),
  OTEL_SERVICE_NAME: variable<string>(
    'service.name of every span; defaults to the service package name (feature-service, model-server).',
    'any text',
    '',
    '(package name)',
    (raw) => raw,
  ),
  OTEL_RESOURCE_ATTRIBUTES: variable<string>(
    'Extra resource attributes, e.g. deployment.environment=prod,k8s.pod.name=$(POD_NAME).',
    'key=value pairs separated by commas',
    '',
    '(none)',
    (raw) => (raw.split(',').every((pair) => /^[^=\s]+=.*$/.test(pair.trim())) ? raw : undefined),
  ),
  OTEL_TRACES_EXPORTER: variable<string>(
    'Trace exporter: otlp (OTLP over gRPC) or none (tracing off).',
    'otlp or none',
    'otlp',
    'otlp',
    (raw) => (raw === 'otlp' || raw === 'none' ? raw : undefined),
  ),
  OTEL_TRACES_SAMPLER: variable<string>(
    'Sampler. parentbased_* follow the caller’s sampling decision, so a trace is kept or dropped whole.',
    SAMPLERS.join(', '),
    'parentbased_always_on',
    'parentbased_always_on',
    (raw) => ((SAMPLERS as readonly string[]).includes(raw) ? raw : undefined),
  ),
  OTEL_TRACES_SAMPLER_ARG: variable<number>(
    'Sampling ratio for the *traceidratio samplers.',
    'a number from 0 to 1',
    1,
    '1',
    (raw) => {
      const n = Number(raw);
      return raw.trim() !== '' && Number.isFinite(n) && n >= 0 && n <= 1 ? n : undefined;
    },
  ),
  OTEL_PROPAGATORS: variable<string>(
    'Context propagation formats carried in gRPC metadata.',
    `comma-separated: ${PROPAGATORS.join(', ')}`,
    'tracecontext,baggage',
    'tracecontext,baggage',
    (raw) =>
      raw.split(',').every((p) => (PROPAGATORS as readonly string[]).includes(p.trim())) ? raw : undefined,
  ),
  OTEL_EXPORTER_OTLP_HEADERS: variable<string>(
    'Headers sent with every export (e.g. an API key), as key=value pairs separated by commas.',
    'key=value pairs separated by commas',
    '',
    '(none)',
    (raw) => (raw.split(',').every((pair) => /^[^=\s]+=.*$/.test(pair.trim())) ? raw : undefined),
  ),
  OTEL_EXPORTER_OTLP_TIMEOUT: variable<number>(
    'Timeout of one export call (ms).',
    'an integer from 1 to 600000',
    10000,
    '10000',
    (raw) => parseCount(raw, 1, 600000),
  ),
  OTEL_EXPORTER_OTLP_COMPRESSION: variable<string>(
    'Compression of export calls.',
    'gzip or none',
    'none',
    'none',
    (raw) => (raw === 'gzip' || raw === 'none' ? raw : undefined),
  ),
  OTEL_BSP_SCHEDULE_DELAY: variable<number>(
    'Delay between two span exports (ms).',
    'an integer from 0 to 600000',
    5000,
    '5000',
    (raw) => parseCount(raw, 0, 600000),
  ),
  OTEL_BSP_MAX_QUEUE_SIZE: variable<number>(
    'Spans buffered before new ones are dropped.',
    'an integer from 1 to 1000000',
    2048,
    '2048',
    (raw) => parseCount(raw, 1, 1000000),
  ),
  OTEL_BSP_MAX_EXPORT_BATCH_SIZE: variable<number>(
    'Spans per export call (at most OTEL_BSP_MAX_QUEUE_SIZE).',
    'an integer from 1 to 1000000',
    512,
    '512',
    (raw) => parseCount(raw, 1, 1000000),
  ),
  OTEL_BSP_EXPORT_TIMEOUT: variable<number>(
    'How long one export may take before it is abandoned (ms).',
    'an integer from 1 to 600000',
    30000,
    '30000',
    (raw) => parseCount(raw, 1, 600000),
  ),
  OTEL_LOG_LEVEL: variable<string>(
    'Log level of the OpenTelemetry SDK’s own diagnostics (written to the console).',
    'none, error, warn, info, debug, verbose, all',
    '',
    '(none)',
    (raw) =>
      ['none', 'error', 'warn', 'info', 'debug', 'verbose', 'all'].includes(raw.toLowerCase())
        ? raw
        : undefined,
  ),
} satisfies ConfigSpec;

/** Problems with the OTEL_* variables in `source`, one line per bad variable (empty when fine). */
export function otelConfigProblems(source: NodeJS.ProcessEnv = process.env): string[] {
  const problems: string[] = [];
  for (const [name, spec] of Object.entries(otelConfigSpec)) {
    const raw = source[name];
    if (raw === undefined || raw === '') continue;
    if ((spec as EnvVar<unknown>).parse(raw) === undefined) {
      problems.push(`${name}=${JSON.stringify(raw)} is not allowed: expected ${spec.allowed}`);
    }
  }
  return problems;
}
