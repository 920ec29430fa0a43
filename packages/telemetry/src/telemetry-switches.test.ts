/**
 * When tracing is off and when its configuration is bad, with real fixture processes
 * (needs `tsc -b` first).
 */
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { createScoringServiceClient } from '@tally/contracts';
import { OtlpReceiver, spawnService, startService } from '@tally/testkit';
import type { ServiceProcess } from '@tally/testkit';

// Real processes on a 2-core machine; the preset's testTimeout does not apply in multi-project runs.
jest.setTimeout(60_000);

const dist = path.resolve(__dirname, '../dist');
const BASE_ENV = { GRPC_HOST: '127.0.0.1', GRPC_PORT: '0', METRICS_PORT: '0' };
const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

async function scoreOnce(address: string): Promise<void> {
  const client = createScoringServiceClient(address);
  const metadata = new grpc.Metadata();
  metadata.set('traceparent', TRACEPARENT);
  try {
    await new Promise((resolve, reject) =>
      client.score(
        { model: 'fixture', entityKeys: { applicant_id: { int64Value: 1 } }, requestId: 'off-1' },
        metadata,
        { deadline: Date.now() + 10000 },
        (err, res) => (err ? reject(err) : resolve(res)),
      ),
    );
  } finally {
    client.close();
  }
}

describe('telemetry switches', () => {
  const started: ServiceProcess[] = [];
  let receiver: OtlpReceiver;

  beforeAll(async () => {
    receiver = await OtlpReceiver.start();
  });
  afterAll(async () => {
    for (const p of started) await p.stop('SIGKILL');
    await receiver.stop();
  });

  async function startPair(otel: NodeJS.ProcessEnv): Promise<[ServiceProcess, ServiceProcess]> {
    const featureService = await startService({
      script: path.join(dist, 'testing/fixture-feature-service.js'),
      nodeArgs: ['--require', path.join(dist, 'register.js')],
      env: { ...BASE_ENV, ...otel },
    });
    started.push(featureService);
    const scoringService = await startService({
      script: path.join(dist, 'testing/fixture-scoring-service.js'),
      env: { ...BASE_ENV, ...otel, FEATURE_SERVICE_ADDRESS: featureService.address },
    });
    started.push(scoringService);
    return [featureService, scoringService];
  }

  it.each([
    ['OTEL_SDK_DISABLED=true', { OTEL_SDK_DISABLED: 'true' }],
    ['OTEL_TRACES_EXPORTER=none', { OTEL_TRACES_EXPORTER: 'none' }],
  ])('exports nothing and logs no trace ids with %s', async (_label, switchOff) => {
    receiver.clear();
    const [featureService, scoringService] = await startPair({
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
      ...switchOff,
    });
    await scoreOnce(scoringService.address);
    // Both exit cleanly; a running SDK would have flushed its spans before exiting.
    expect((await scoringService.stop()).code).toBe(0);
    expect((await featureService.stop()).code).toBe(0);
    expect(receiver.exportCalls).toBe(0);
    const scored = scoringService.records().find((r) => r.message === 'scored');
    expect(scored).toBeDefined();
    expect(scored!.trace_id).toBeUndefined();
  });

  it('is off without an endpoint, and the services still serve', async () => {
    const [featureService, scoringService] = await startPair({});
    await scoreOnce(scoringService.address);
    expect((await scoringService.stop()).code).toBe(0);
    expect((await featureService.stop()).code).toBe(0);
    expect(scoringService.records().find((r) => r.message === 'scored')?.trace_id).toBeUndefined();
  });

  it('honours a parent-based ratio sampler: ratio 0 drops new traces, a sampled caller is still traced', async () => {
    receiver.clear();
    const [featureService, scoringService] = await startPair({
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0',
    });
    await scoreOnce(scoringService.address); // traceparent flags 01: sampled by the caller
    const client = createScoringServiceClient(scoringService.address);
    // No traceparent: the server starts a new trace, which the ratio (0) drops.
    await new Promise((resolve, reject) =>
      client.score({ model: 'fixture', entityKeys: {} }, { deadline: Date.now() + 10000 }, (err, r) =>
        err ? reject(err) : resolve(r),
      ),
    );
    client.close();
    await scoringService.stop();
    await featureService.stop();
    const traceIds = new Set(receiver.spans.map((s) => s.traceId));
    expect([...traceIds]).toEqual([TRACEPARENT.split('-')[1]]);
  });

  it('refuses to start on a bad OTEL_* value, naming it', async () => {
    const proc = spawnService({
      script: path.join(dist, 'testing/fixture-scoring-service.js'),
      env: {
        ...BASE_ENV,
        FEATURE_SERVICE_ADDRESS: '127.0.0.1:1',
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
        OTEL_TRACES_SAMPLER: 'sometimes',
      },
    });
    started.push(proc);
    const exit = await proc.exited;
    expect(exit.code).toBe(2);
    expect(proc.stderr.join('')).toContain('OTEL_TRACES_SAMPLER="sometimes" is not allowed');
  });
});
