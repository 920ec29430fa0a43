import { INVALID_SPAN_CONTEXT, context, isSpanContextValid, trace, TraceFlags } from '@opentelemetry/api';
import type { Attributes, Context, Link, Span, SpanContext } from '@opentelemetry/api';
import { recordError, tallyTracer } from './spans';

/** Attribute names on batch and queue-wait spans. */
export const BATCH_ATTRIBUTES = {
  batchSize: 'tally.batch.size',
  modelName: 'tally.model.name',
  modelVersion: 'tally.model.version',
} as const;

/**
 * What a request leaves behind when it joins a batcher queue: the trace context it was in and when
 * it was enqueued. Cheap to take (no span is created until the batch forms).
 */
export interface EnqueuedRequestTrace {
  readonly context: Context;
  readonly spanContext: SpanContext | undefined;
  /** Enqueue time, ms since the epoch with sub-ms precision. */
  readonly enqueuedAt: number;
}

/** The span of one executed batch; end it once the batch's results are known. */
export interface BatchTrace {
  readonly span: Span;
  /** Runs `fn` with the batch span active (so spans and log lines made inside belong to it). */
  run<T>(fn: () => T): T;
  /** Ends the batch span; an error marks it failed. */
  end(error?: unknown): void;
}

export interface BatchSpanOptions {
  model: string;
  version: string;
  /** Rows actually computed (e.g. padded to a preferred size); default: number of requests. */
  batchSize?: number;
  /** Span name; default "inference". */
  name?: string;
  attributes?: Attributes;
}

/** What a batch none of whose requests is traced gets (always the case while tracing is off). */
const UNTRACED_BATCH: BatchTrace = {
  span: trace.wrapSpanContext(INVALID_SPAN_CONTEXT),
  run: (fn) => fn(),
  end: () => undefined,
};

function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

/** Call when a request is enqueued, in the request's own async context. */
export function captureEnqueue(): EnqueuedRequestTrace {
  const active = context.active();
  const spanContext = trace.getSpanContext(active);
  return {
    context: active,
    spanContext: spanContext !== undefined && isSpanContextValid(spanContext) ? spanContext : undefined,
    enqueuedAt: nowMs(),
  };
}

/**
 * Call when a batch is taken off the queue, just before it is computed. It
 * - starts ONE batch span with a link to the span of every request it serves, carrying the batch
 *   size and model name/version; its parent is the first request whose trace is sampled, so
 *   parent-based sampling keeps the batch span whenever one of its requests is kept, and the
 *   trace of a decision leads on to its inference;
 * - records a "queue wait" span in each request's trace (start = enqueue, end = now), linked to
 *   the batch span, so every request's trace shows its wait and where it was computed.
 * While tracing is off every span here is a no-op.
 */
export function startBatchSpan(
  requests: readonly EnqueuedRequestTrace[],
  options: BatchSpanOptions,
): BatchTrace {
  if (!requests.some((r) => r.spanContext)) return UNTRACED_BATCH;
  const tracer = tallyTracer();
  const dequeuedAt = nowMs();
  const modelAttributes: Attributes = {
    [BATCH_ATTRIBUTES.modelName]: options.model,
    [BATCH_ATTRIBUTES.modelVersion]: options.version,
  };
  const links: Link[] = requests.flatMap((r) => (r.spanContext ? [{ context: r.spanContext }] : []));
  const parent =
    requests.find((r) => r.spanContext && (r.spanContext.traceFlags & TraceFlags.SAMPLED) !== 0) ??
    requests.find((r) => r.spanContext);
  const span = tracer.startSpan(
    options.name ?? 'inference',
    {
      startTime: dequeuedAt,
      links,
      attributes: {
        ...modelAttributes,
        [BATCH_ATTRIBUTES.batchSize]: options.batchSize ?? requests.length,
        ...options.attributes,
      },
    },
    parent ? parent.context : context.active(),
  );
  const batchLink: Link[] = span.isRecording() ? [{ context: span.spanContext() }] : [];
  for (const request of requests) {
    if (!request.spanContext) continue;
    tracer
      .startSpan(
        'queue wait',
        { startTime: request.enqueuedAt, links: batchLink, attributes: modelAttributes },
        request.context,
      )
      .end(dequeuedAt);
  }
  const spanContext = trace.setSpan(parent ? parent.context : context.active(), span);
  let ended = false;
  return {
    span,
    run: (fn) => context.with(spanContext, fn),
    end(error?: unknown) {
      if (ended) return;
      ended = true;
      if (error !== undefined) recordError(span, error);
      span.end();
    },
  };
}
