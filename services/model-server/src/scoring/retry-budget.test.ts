import fs from 'node:fs';
import path from 'node:path';
import { status } from '@grpc/grpc-js';
import { ScoringClient } from '@tally/client';
import type { TallyClientError } from '@tally/client';
import { SERVICE_NAMES, featureServiceDefinition, packageDefinition } from '@tally/contracts';
import {
  Logger,
  ServiceMetrics,
  TallyServer,
  UnavailableError,
  service,
  unimplementedHandlers,
} from '@tally/grpc-kit';
import { buildMlpModel, createModelRepository, mlpConfig, startModelServer } from '../testing';
import type { RunningModelServer } from '../testing';
import { SCHEMA_FILE_NAME, formatPinnedSchema, pinnedSchemaOf } from '../serving/schema-pin';

// A feature-service that is up but failing (its store is down): it describes its feature set (so the
// model's pinned schema checks out and Score serves it), every GetFeatureVectors answers UNAVAILABLE,
// and it counts the GetFeatureVectors calls it receives.
let featureService: TallyServer;
let featureCalls = 0;
let repository: string;
let modelServer: RunningModelServer;

/** Four request-context floats: the schema the test model was "trained" on. */
const FEATURE_SET = {
  name: 'credit_risk',
  description: '',
  fingerprint: 'f00d',
  columns: ['a', 'b', 'c', 'd'],
  features: ['a', 'b', 'c', 'd'].map((name) => ({
    name,
    source: 'FEATURE_SOURCE_REQUEST' as const,
    type: 'VALUE_TYPE_FLOAT' as const,
    columns: [name],
  })),
};

beforeAll(async () => {
  const failing = () => {
    throw new UnavailableError('online store (mysql)', 'down for this test');
  };
  featureService = await TallyServer.start({
    host: '127.0.0.1',
    port: 0,
    logger: new Logger('failing-feature-service', 'error', () => undefined),
    metrics: new ServiceMetrics('failing-feature-service'),
    reflection: packageDefinition(),
    services: [
      service(
        SERVICE_NAMES.feature,
        featureServiceDefinition(),
        unimplementedHandlers(featureServiceDefinition(), {
          GetFeatureVectors: () => {
            featureCalls += 1;
            return failing();
          },
          DescribeFeatureSet: () => ({ featureSet: FEATURE_SET }),
        }),
      ),
    ],
  });
  featureService.setServing(true);
  repository = createModelRepository({
    credit: { config: mlpConfig({ input_width: 4 }), versions: { 1: buildMlpModel({ width: 4, seed: 1 }) } },
  });
  fs.writeFileSync(
    path.join(repository, 'credit', '1', SCHEMA_FILE_NAME),
    formatPinnedSchema(pinnedSchemaOf(FEATURE_SET)),
  );
  modelServer = await startModelServer(repository, {
    FEATURE_SERVICE_ADDR: `127.0.0.1:${featureService.port}`,
    FEATURE_CHECK_TIMEOUT_MS: '500',
  });
}, 90_000);

afterAll(async () => {
  await modelServer?.stop();
  await featureService?.shutdown(1000);
  fs.rmSync(repository, { recursive: true, force: true });
});

async function scoreFailure(client: ScoringClient): Promise<TallyClientError> {
  try {
    await client.score(
      { model: 'credit', entityKeys: { applicant_id: { int64Value: 1 } } },
      { deadlineMs: 10_000 },
    );
  } catch (err) {
    return err as TallyClientError;
  }
  throw new Error('expected Score to fail');
}

it('one retry budget per decision: only the caller retries, so a failing feature-service sees at most 3 calls', async () => {
  // The caller's client retries Score on UNAVAILABLE (3 attempts); the model-server's own feature client
  // never retries, so the decision costs 3 feature calls, not 3 × 3.
  const retrying = new ScoringClient(modelServer.address);
  featureCalls = 0;
  const err = await scoreFailure(retrying);
  retrying.close();
  expect(err.code).toBe(status.UNAVAILABLE);
  expect(err.details).toMatch(/^feature-service at 127\.0\.0\.1:\d+ unavailable: UNAVAILABLE: online store/);
  expect(featureCalls).toBe(3);

  // A caller that does not retry costs exactly one feature call.
  const single = new ScoringClient(modelServer.address, { retries: false });
  featureCalls = 0;
  expect((await scoreFailure(single)).code).toBe(status.UNAVAILABLE);
  single.close();
  expect(featureCalls).toBe(1);
});
