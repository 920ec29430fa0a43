import { SpanStatusCode, TraceFlags, isSpanContextValid, trace } from '@opentelemetry/api';
import type { Attributes, Span, Tracer } from '@opentelemetry/api';

/** Instrumentation scope of every span Tally code creates by hand. */
export const TRACER_NAME = 'tally';

/** The tracer for hand-made spans (the API's no-op tracer while tracing is off). */
export function tallyTracer(): Tracer {
  return trace.getTracer(TRACER_NAME);
}

/** Marks `span` failed with `err`: an exception event plus ERROR status carrying the message. */
export function recordError(span: Span, err: unknown): void {
  const error = err instanceof Error ? err : new Error(String(err));
  span.recordException(error);
  span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
}

/**
 * Runs `fn` inside a new span that is the active span for everything `fn` does (child spans, log
 * lines, outgoing gRPC calls). A throw or rejection is recorded on the span (exception event, ERROR
 * status) and rethrown. The span ends when `fn` settles.
 *
 *   const rows = await withSpan('store query', { 'tally.view': view, 'tally.entities': n }, () => read());
 *
 * Inside a trace that is not sampled it creates nothing: a child of a span whose sampled flag is off
 * is not recorded either (parent-based samplers follow the flag, ratio samplers the trace id),
 * so `fn` runs in the current context with the current (non-recording) span — no span, no context
 * switch. Outgoing calls still carry the trace id and its not-sampled flag.
 */
export async function withSpan<T>(
  name: string,
  attributes: Attributes,
  fn: (span: Span) => Promise<T> | T,
): Promise<T> {
  const current = trace.getActiveSpan();
  if (current !== undefined && !current.isRecording()) {
    const parent = current.spanContext();
    if (isSpanContextValid(parent) && (parent.traceFlags & TraceFlags.SAMPLED) === 0) return fn(current);
  }
  return tallyTracer().startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await fn(span);
    } catch (err) {
      recordError(span, err);
      throw err;
    } finally {
      span.end();
    }
  });
}
