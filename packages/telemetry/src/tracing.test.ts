/**
 * Tracing across real processes: two fixture services (one with telemetry preloaded by
 * `--require`, one starting it by its first import) export to a real OTLP/gRPC receiver. Needs
 * `tsc -b` first (the fixtures run from dist/).
 */
import crypto from 'node:crypto';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { createScoringServiceClient } from '@tally/contracts';
import type { model } from '@tally/contracts';
import { OtlpReceiver, exactlyOneSpan, startService } from '@tally/testkit';
import type { ServiceProcess } from '@tally/testkit';

// Real processes on a 2-core machine; the preset's testTimeout does not apply in multi-project runs.
jest.setTimeout(60_000);

const dist = path.resolve(__dirname, '../dist');
const REGISTER = path.join(dist, 'register.js');
const CALLS = 6;

interface ClientCall {
  traceId: string;
  clientSpanId: string;
  response: model.ScoreResponse__Output;
}

/** A Score call carrying a W3C traceparent, as an instrumented client would send it. */
function scoreWithTraceparent(
  client: ReturnType<typeof createScoringServiceClient>,
  applicantId: number,
): Promise<ClientCall> {
  const traceId = crypto.randomBytes(16).toString('hex');
  const clientSpanId = crypto.randomBytes(8).toString('hex');
  const metadata = new grpc.Metadata();
  metadata.set('traceparent', `00-${traceId}-${clientSpanId}-01`);
  return new Promise((resolve, reject) =>
    client.score(
      {
        model: 'fixture',
        entityKeys: { applicant_id: { int64Value: applicantId } },
        requestId: `r${applicantId}`,
      },
      metadata,
      { deadline: Date.now() + 10000 },
      (err, response) => (err ? reject(err) : resolve({ traceId, clientSpanId, response: response! })),
    ),
  );
}

const only = exactlyOneSpan;

describe('tracing across two service processes', () => {
  let receiver: OtlpReceiver;
  let featureService: ServiceProcess | undefined;
  let scoringService: ServiceProcess | undefined;
  let calls: ClientCall[];
  let scoringLogs: Array<Record<string, unknown>>;

  beforeAll(async () => {
    receiver = await OtlpReceiver.start();
    const otel = {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
      // Long enough that nothing is exported on schedule: the spans must arrive through the flush
      // that shutdownTelemetry() does when the process stops.
      OTEL_BSP_SCHEDULE_DELAY: '60000',
      GRPC_HOST: '127.0.0.1',
      GRPC_PORT: '0',
      METRICS_PORT: '0',
    };
    featureService = await startService({
      script: path.join(dist, 'testing/fixture-feature-service.js'),
      nodeArgs: ['--require', REGISTER],
      env: { ...otel, OTEL_SERVICE_NAME: 'fixture-feature' },
    });
    scoringService = await startService({
      script: path.join(dist, 'testing/fixture-scoring-service.js'),
      env: {
        ...otel,
        OTEL_SERVICE_NAME: 'fixture-scoring',
        FEATURE_SERVICE_ADDRESS: featureService.address,
        BATCH_MAX: '4',
        BATCH_DELAY_MS: '50',
      },
    });
    const client = createScoringServiceClient(scoringService.address);
    try {
      calls = await Promise.all(
        Array.from({ length: CALLS }, (_, i) => scoreWithTraceparent(client, 100 + i)),
      );
    } finally {
      client.close();
    }
    // A log line and the answer travel on different pipes: wait for every call's line before stopping.
    for (const call of calls) {
      const requestId = call.response.requestId;
      await scoringService.waitForRecord((r) => r.message === 'scored' && r.request_id === requestId);
    }
    scoringLogs = scoringService.records();
    expect(receiver.spans).toHaveLength(0);
    await Promise.all([scoringService.stop(), featureService.stop()]);
  });

  afterAll(async () => {
    await scoringService?.stop('SIGKILL');
    await featureService?.stop('SIGKILL');
    await receiver?.stop();
  });

  it('flushes every span on shutdown: one trace per call, both services in it', async () => {
    const spans = await receiver.waitForSpans(
      (all) => calls.every((c) => all.some((s) => s.traceId === c.traceId && s.name === 'store query')),
      10000,
    );
    for (const call of calls) {
      const services = new Set(spans.filter((s) => s.traceId === call.traceId).map((s) => s.serviceName));
      expect([...services].sort()).toEqual(['fixture-feature', 'fixture-scoring']);
    }
  });

  it('chains client → scoring server → fetch features → client call → feature server → store query', () => {
    for (const call of calls) {
      const trace = receiver.trace(call.traceId);
      const server = only(
        trace,
        (s) => s.serviceName === 'fixture-scoring' && s.kind === 'SERVER',
        'scoring server span',
      );
      expect(server.parentSpanId).toBe(call.clientSpanId);
      expect(server.name).toBe('grpc.tally.model.v1.ScoringService/Score');
      const fetch = only(trace, (s) => s.name === 'fetch features', 'fetch features span');
      expect(fetch.parentSpanId).toBe(server.spanId);
      const outgoing = only(
        trace,
        (s) => s.serviceName === 'fixture-scoring' && s.kind === 'CLIENT',
        'outgoing client span',
      );
      expect(outgoing.parentSpanId).toBe(fetch.spanId);
      const featureServer = only(
        trace,
        (s) => s.serviceName === 'fixture-feature' && s.kind === 'SERVER',
        'feature server span',
      );
      expect(featureServer.name).toBe('grpc.tally.feature.v1.FeatureService/GetFeatureVectors');
      expect(featureServer.parentSpanId).toBe(outgoing.spanId);
      for (const name of ['cache lookup', 'store query']) {
        expect(only(trace, (s) => s.name === name, name).parentSpanId).toBe(featureServer.spanId);
      }
      const wait = only(trace, (s) => s.name === 'queue wait', 'queue wait span');
      expect(wait.parentSpanId).toBe(server.spanId);
      expect(wait.startTimeUnixNano).toBeLessThanOrEqual(wait.endTimeUnixNano);
    }
  });

  it('links each batch span to every request span it served, with batch size and model version', () => {
    const serverSpans = new Map(
      calls.map((c) => [
        receiver.trace(c.traceId).find((s) => s.serviceName === 'fixture-scoring' && s.kind === 'SERVER')!
          .spanId,
        c,
      ]),
    );
    const batches = receiver.spans.filter((s) => s.name === 'inference');
    // 6 requests with at most 4 per batch make at least two batches.
    expect(batches.length).toBeGreaterThanOrEqual(2);
    const served = batches.flatMap((b) => b.links.map((l) => l.spanId));
    expect(served.sort()).toEqual([...serverSpans.keys()].sort());
    for (const batch of batches) {
      expect(batch.attributes['tally.batch.size']).toBe(batch.links.length);
      expect(batch.attributes['tally.model.version']).toBe('7');
      expect(batch.attributes['tally.model.name']).toBe('fixture');
      for (const link of batch.links) {
        expect(link.traceId).toBe(serverSpans.get(link.spanId)!.traceId);
      }
      // The batch span sits in the trace of one request it served, under that request's span.
      const parentCall = serverSpans.get(batch.parentSpanId);
      expect(parentCall).toBeDefined();
      expect(batch.traceId).toBe(parentCall!.traceId);
      expect(batch.links.map((l) => l.spanId)).toContain(batch.parentSpanId);
    }
    // Each request's queue wait points at the batch that computed it.
    for (const call of calls) {
      const wait = receiver.trace(call.traceId).find((s) => s.name === 'queue wait')!;
      const batch = batches.find((b) => b.spanId === wait.links[0]?.spanId);
      expect(batch).toBeDefined();
      expect(batch!.links.map((l) => l.traceId)).toContain(call.traceId);
    }
  });

  it('writes the active trace id into JSON log lines', () => {
    for (const call of calls) {
      const line = scoringLogs.find(
        (r) => r.message === 'scored' && r.request_id === call.response.requestId,
      );
      expect(line).toBeDefined();
      expect(line!.trace_id).toBe(call.traceId);
      const server = receiver
        .trace(call.traceId)
        .find((s) => s.serviceName === 'fixture-scoring' && s.kind === 'SERVER')!;
      expect(line!.span_id).toBe(server.spanId);
    }
  });
});
