/**
 * The span helpers against a real OpenTelemetry tracer provider (in memory, in this process:
 * no gRPC instrumentation is needed for hand-made spans).
 */
import { ROOT_CONTEXT, SpanStatusCode, TraceFlags, context, trace } from '@opentelemetry/api';
import type { Context } from '@opentelemetry/api';
import {
  InMemorySpanExporter,
  NodeTracerProvider,
  ParentBasedSampler,
  AlwaysOnSampler,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-node';
import { captureEnqueue, startBatchSpan } from './batch-tracing';
import { withSpan } from './spans';
import { activeTraceIds } from './start-telemetry';

const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({
  sampler: new ParentBasedSampler({ root: new AlwaysOnSampler() }),
  spanProcessors: [new SimpleSpanProcessor(exporter)],
});

beforeAll(() => provider.register());
afterEach(() => exporter.reset());
afterAll(() => provider.shutdown());

function remoteParent(sampled: boolean): Context {
  const traceId = Math.random().toString(16).slice(2).padEnd(32, '1').slice(0, 32);
  return trace.setSpanContext(ROOT_CONTEXT, {
    traceId,
    spanId: 'a'.repeat(15) + (sampled ? '1' : '2'),
    traceFlags: sampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
    isRemote: true,
  });
}

describe('withSpan', () => {
  it('makes the span active for the callback and ends it', async () => {
    let inside: ReturnType<typeof activeTraceIds>;
    const result = await withSpan('outer', { 'tally.k': 1 }, () =>
      withSpan('inner', {}, () => {
        inside = activeTraceIds();
        return 42;
      }),
    );
    expect(result).toBe(42);
    const [inner, outer] = exporter.getFinishedSpans();
    expect(inner!.name).toBe('inner');
    expect(outer!.name).toBe('outer');
    expect(outer!.attributes['tally.k']).toBe(1);
    expect(inner!.parentSpanContext?.spanId).toBe(outer!.spanContext().spanId);
    expect(inside).toEqual({ trace_id: inner!.spanContext().traceId, span_id: inner!.spanContext().spanId });
    expect(activeTraceIds()).toBeUndefined();
  });

  it('records a rejection as an exception and ERROR status, and rethrows it', async () => {
    await expect(
      withSpan('failing', {}, async () => {
        throw new Error('store down');
      }),
    ).rejects.toThrow('store down');
    const [span] = exporter.getFinishedSpans();
    expect(span!.status).toEqual({ code: SpanStatusCode.ERROR, message: 'store down' });
    expect(span!.events.map((e) => e.name)).toEqual(['exception']);
  });
  it('inside a trace that is not sampled creates no span and keeps the current context', async () => {
    const unsampled = remoteParent(false);
    const seen = await context.with(unsampled, () =>
      withSpan('fetch features', {}, (span) => ({ span: span.spanContext(), active: trace.getActiveSpan() })),
    );
    expect(seen.span).toEqual(trace.getSpanContext(unsampled));
    expect(seen.active?.spanContext()).toEqual(trace.getSpanContext(unsampled));
    expect(exporter.getFinishedSpans()).toEqual([]);
    // The same call inside a sampled trace records its span under the parent.
    const sampled = remoteParent(true);
    await context.with(sampled, () => withSpan('fetch features', {}, () => undefined));
    const [span] = exporter.getFinishedSpans();
    expect(span!.parentSpanContext?.spanId).toBe(trace.getSpanContext(sampled)!.spanId);
  });
});

describe('startBatchSpan', () => {
  it('parents the batch on the first sampled request, links all, and adds queue waits', async () => {
    const unsampled = remoteParent(false);
    const sampledA = remoteParent(true);
    const sampledB = remoteParent(true);
    const enqueued = [unsampled, sampledA, sampledB].map((ctx) => context.with(ctx, () => captureEnqueue()));
    const batch = startBatchSpan(enqueued, { model: 'credit_risk', version: '3', batchSize: 4 });
    await batch.run(() => withSpan('compute', {}, () => undefined));
    batch.end();

    const spans = exporter.getFinishedSpans();
    const inference = spans.find((s) => s.name === 'inference')!;
    expect(inference.spanContext().traceId).toBe(trace.getSpanContext(sampledA)!.traceId);
    expect(inference.parentSpanContext?.spanId).toBe(trace.getSpanContext(sampledA)!.spanId);
    expect(inference.links.map((l) => l.context.spanId)).toEqual(
      [unsampled, sampledA, sampledB].map((c) => trace.getSpanContext(c)!.spanId),
    );
    expect(inference.attributes).toMatchObject({
      'tally.batch.size': 4,
      'tally.model.name': 'credit_risk',
      'tally.model.version': '3',
    });
    const compute = spans.find((s) => s.name === 'compute')!;
    expect(compute.parentSpanContext?.spanId).toBe(inference.spanContext().spanId);

    // The unsampled request's queue wait is not recorded (parent-based sampling); the others are.
    const waits = spans.filter((s) => s.name === 'queue wait');
    expect(waits.map((w) => w.parentSpanContext?.spanId).sort()).toEqual(
      [sampledA, sampledB].map((c) => trace.getSpanContext(c)!.spanId).sort(),
    );
    for (const wait of waits) {
      expect(wait.links.map((l) => l.context.spanId)).toEqual([inference.spanContext().spanId]);
    }
  });

  it('marks a failed batch with ERROR status', () => {
    const batch = startBatchSpan([context.with(remoteParent(true), () => captureEnqueue())], {
      model: 'm',
      version: '1',
    });
    batch.end(new Error('worker crashed'));
    batch.end();
    const inference = exporter.getFinishedSpans().filter((s) => s.name === 'inference');
    expect(inference).toHaveLength(1);
    expect(inference[0]!.status.code).toBe(SpanStatusCode.ERROR);
    expect(inference[0]!.attributes['tally.batch.size']).toBe(1);
  });

  it('records no batch span when none of its requests is sampled', () => {
    const batch = startBatchSpan([context.with(remoteParent(false), () => captureEnqueue())], {
      model: 'm',
      version: '1',
    });
    expect(batch.span.isRecording()).toBe(false);
    batch.end();
    expect(exporter.getFinishedSpans()).toHaveLength(0);
  });
});
