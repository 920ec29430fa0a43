/**
 * One Score is one trace across both real service processes, exported over OTLP/gRPC to a real
 * receiver built from the official OTLP .proto files (standing in for Jaeger):
 * client → model-server Score → fetch features → GetFeatureVectors (client) → feature-service
 * (cache lookup → store query) → queue wait → inference, with every batch span linked to the
 * request spans it served. Spans arrive through the flush each service does when it stops.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { FeatureClient, ScoringClient, toValueMap } from '@tally/client';
import type { model } from '@tally/contracts';
import { OtlpReceiver, exactlyOneSpan } from '@tally/testkit';
import { loadApplicants, referenceRows } from './demo-applicants';
import { startFeatureService, startModelServer } from './tally-stack';
import type { RunningService } from './tally-stack';

const CALLS = 12;
const ROWS = referenceRows().slice(0, CALLS);
const SCORE = 'grpc.tally.model.v1.ScoringService/Score';
const GET_VECTORS = 'grpc.tally.feature.v1.FeatureService/GetFeatureVectors';

interface TracedCall {
  traceId: string;
  clientSpanId: string;
  response: model.ScoreResponse__Output;
}

const only = exactlyOneSpan;

describe('tracing of Score across the model-server and the feature-service', () => {
  let tmp: string;
  let receiver: OtlpReceiver;
  let featureService: RunningService | undefined;
  let modelServer: RunningService | undefined;
  let calls: TracedCall[];
  let modelServerLogs: Array<Record<string, unknown>>;

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-e2e-trace-'));
    receiver = await OtlpReceiver.start();
    const otel = {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
      // Nothing is exported on schedule: the spans must come from the flush at shutdown.
      OTEL_BSP_SCHEDULE_DELAY: '60000',
      LOG_LEVEL: 'debug',
    };
    featureService = await startFeatureService({
      ...otel,
      STORE_URL: `sqlite:${path.join(tmp, 'store.sqlite')}`,
    });
    const features = new FeatureClient(featureService.address, { retries: false });
    try {
      await loadApplicants(
        features,
        ROWS.map((r) => r.applicant_id),
      );
    } finally {
      features.close();
    }
    modelServer = await startModelServer(featureService.address, otel);
    const scoring = new ScoringClient(modelServer.address, { retries: false, deadlinesMs: { Score: 10000 } });
    try {
      // All at once, so the batcher serves several requests per batch.
      calls = await Promise.all(
        ROWS.map(async (row, i) => {
          // A W3C traceparent, as an instrumented caller sends it.
          const traceId = crypto.randomBytes(16).toString('hex');
          const clientSpanId = crypto.randomBytes(8).toString('hex');
          const metadata = new grpc.Metadata();
          metadata.set('traceparent', `00-${traceId}-${clientSpanId}-01`);
          const response = await scoring.score(
            {
              model: 'credit_risk',
              entityKeys: toValueMap({ applicant_id: row.applicant_id }),
              context: toValueMap(row.context),
              requestId: `trace-${i}`,
            },
            { metadata },
          );
          return { traceId, clientSpanId, response };
        }),
      );
    } finally {
      scoring.close();
    }
    modelServerLogs = modelServer.process.records();
    await modelServer.process.stop();
    await featureService.process.stop();
  }, 120000);

  afterAll(async () => {
    await modelServer?.process.stop('SIGKILL');
    await featureService?.process.stop('SIGKILL');
    await receiver?.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('exports one trace per Score holding spans of both services', async () => {
    const spans = await receiver.waitForSpans(
      (all) =>
        calls.every(
          (c) =>
            all.some((s) => s.traceId === c.traceId && s.name === 'store query') &&
            all.some((s) => s.traceId === c.traceId && s.name === 'queue wait'),
        ),
      15000,
    );
    for (const call of calls) {
      const services = new Set(spans.filter((s) => s.traceId === call.traceId).map((s) => s.serviceName));
      expect([...services].sort()).toEqual(['feature-service', 'model-server']);
    }
    // Nothing of a Score leaked into a trace of its own (the other traces are the load-time
    // DescribeFeatureSet checks and the test's WriteFeatureRows).
    const traceIds = new Set(calls.map((c) => c.traceId));
    const scorePath = new Set([
      SCORE,
      GET_VECTORS,
      'fetch features',
      'cache lookup',
      'store query',
      'queue wait',
      'inference',
    ]);
    const leaked = spans.filter((s) => !traceIds.has(s.traceId) && scorePath.has(s.name));
    expect(leaked.map((s) => `${s.serviceName}/${s.name}`)).toEqual([]);
  });

  it('chains client → Score → fetch features → GetFeatureVectors → cache lookup → store query, and queue wait', () => {
    for (const call of calls) {
      const trace = receiver.trace(call.traceId);
      const server = only(
        trace,
        (s) => s.serviceName === 'model-server' && s.kind === 'SERVER',
        'model-server SERVER span',
      );
      expect(server.name).toBe(SCORE);
      expect(server.parentSpanId).toBe(call.clientSpanId);
      const fetch = only(trace, (s) => s.name === 'fetch features', 'fetch features span');
      expect(fetch.serviceName).toBe('model-server');
      expect(fetch.parentSpanId).toBe(server.spanId);
      expect(fetch.attributes['tally.feature_set']).toBe('credit_risk');
      const outgoing = only(
        trace,
        (s) => s.serviceName === 'model-server' && s.kind === 'CLIENT',
        'model-server CLIENT span',
      );
      expect(outgoing.name).toBe(GET_VECTORS);
      expect(outgoing.parentSpanId).toBe(fetch.spanId);
      const featureServer = only(
        trace,
        (s) => s.serviceName === 'feature-service' && s.kind === 'SERVER',
        'feature-service SERVER span',
      );
      expect(featureServer.name).toBe(GET_VECTORS);
      expect(featureServer.parentSpanId).toBe(outgoing.spanId);
      const cache = only(trace, (s) => s.name === 'cache lookup', 'cache lookup span');
      expect(cache.parentSpanId).toBe(featureServer.spanId);
      const store = only(trace, (s) => s.name === 'store query', 'store query span');
      expect(store.parentSpanId).toBe(cache.spanId);
      const wait = only(trace, (s) => s.name === 'queue wait', 'queue wait span');
      expect(wait.parentSpanId).toBe(server.spanId);
      expect(wait.startTimeUnixNano).toBeGreaterThanOrEqual(fetch.endTimeUnixNano);
      for (const span of trace) expect(span.status.code).not.toBe('ERROR');
    }
  });

  it('links each inference span to every request span it served, with batch size and model version', () => {
    const requestSpans = new Map(
      calls.map((c) => [
        receiver.trace(c.traceId).find((s) => s.serviceName === 'model-server' && s.kind === 'SERVER')!
          .spanId,
        c,
      ]),
    );
    const batches = receiver.spans.filter((s) => s.name === 'inference');
    expect(batches.length).toBeGreaterThanOrEqual(1);
    // Every request was served by exactly one batch.
    const served = batches.flatMap((b) => b.links.map((l) => l.spanId));
    expect([...served].sort()).toEqual([...requestSpans.keys()].sort());
    // The calls were sent together: at least one batch served more than one of them.
    expect(batches.some((b) => b.links.length > 1)).toBe(true);
    for (const batch of batches) {
      expect(batch.serviceName).toBe('model-server');
      expect(batch.attributes['tally.batch.size']).toBe(batch.links.length);
      expect(batch.attributes['tally.model.name']).toBe('credit_risk');
      expect(batch.attributes['tally.model.version']).toBe('2');
      for (const link of batch.links) expect(link.traceId).toBe(requestSpans.get(link.spanId)!.traceId);
      // It sits in the trace of one request it served, under that request's span.
      expect(batch.links.map((l) => l.spanId)).toContain(batch.parentSpanId);
      expect(batch.traceId).toBe(requestSpans.get(batch.parentSpanId)!.traceId);
    }
    // Each request's queue wait leads to the batch that computed it.
    for (const call of calls) {
      const wait = receiver.trace(call.traceId).find((s) => s.name === 'queue wait')!;
      const batch = batches.find((b) => b.spanId === wait.links[0]?.spanId);
      expect(batch).toBeDefined();
      expect(batch!.links.map((l) => l.traceId)).toContain(call.traceId);
    }
  });

  it('answers every call from version 2 and names the services by their package', () => {
    for (const call of calls) expect(call.response.version).toBe('2');
    const names = new Set(receiver.spans.map((s) => s.resource['service.name']));
    expect([...names].sort()).toEqual(['feature-service', 'model-server']);
    expect(modelServerLogs.some((r) => r.message === 'listening')).toBe(true);
  });
});
