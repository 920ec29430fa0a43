import path from 'node:path';
import { createScoringServiceClient } from '@tally/contracts';
import type { ServiceProcess } from '@tally/testkit';
import {
  benchContextValues,
  createBenchDatabase,
  demoCsv,
  describeFeatureSet,
  loadDemoRows,
} from '../fixtures/feature-store';
import type { BenchDatabase } from '../fixtures/feature-store';
import type { ScoreTarget } from '../load/load-spec';
import { declaredEnv, probe, startTallyService, stopAll } from '../servers/start-servers';
import { ScenarioSkipped } from './scenario';
import type { BenchContext } from './scenario';

const MODEL = 'credit_risk';
const WARM_KEYS = 200;

/** A MySQL database loaded with the demo applicants, shared by the Score runs of one scenario. */
export interface LoadedStore {
  database: BenchDatabase;
  rowCount: number;
}

/** Creates the run's database and loads the demo applicants (all, or the first `maxRows`). */
export async function loadStore(context: BenchContext, maxRows = Infinity): Promise<LoadedStore> {
  const database = await createBenchDatabase(context.mysqlUrl);
  let loader: ServiceProcess | undefined;
  try {
    loader = await startTallyService(
      context,
      'feature-service',
      { STORE_URL: database.url },
      [],
      'feature-service store loader',
    );
    const address = loader.address;
    const schema = await describeFeatureSet(address, MODEL).catch(async (err: unknown) => {
      await probe('feature-service DescribeFeatureSet', () => Promise.reject(err));
      throw err;
    });
    let rowCount = 0;
    await probe('feature-service WriteFeatureRows', async () => {
      rowCount = await loadDemoRows(address, schema, demoCsv(context.repoRoot), maxRows);
    });
    return { database, rowCount };
  } catch (err) {
    await database.drop();
    throw err;
  } finally {
    await stopAll([loader]);
  }
}

export interface ScoreStack {
  featureService: ServiceProcess;
  modelServer: ServiceProcess;
  target: ScoreTarget;
  stop(): Promise<void>;
}

/** The model-server's variable naming the feature-service address (see its README). */
const FEATURE_SERVICE_ADDR = 'FEATURE_SERVICE_ADDR';

function featureServiceAddressVariable(context: BenchContext): string {
  if (!declaredEnv(context, 'model-server').includes(FEATURE_SERVICE_ADDR))
    throw new ScenarioSkipped(`the model-server declares no ${FEATURE_SERVICE_ADDR} variable`);
  return FEATURE_SERVICE_ADDR;
}

/** feature-service + model-server (the shipped models/), both optionally started with the telemetry preloaded. */
export async function startScoreStack(
  context: BenchContext,
  store: LoadedStore,
  extraEnv: NodeJS.ProcessEnv = {},
  nodeArgs: string[] = [],
  /** Names the run in profile labels, e.g. "tracing 1% round 2". */
  runName = 'score',
  /** Variables for one service only (e.g. its METRICS_PORT). */
  serviceEnv: Partial<Record<'feature-service' | 'model-server', NodeJS.ProcessEnv>> = {},
): Promise<ScoreStack> {
  const addressVariable = featureServiceAddressVariable(context);
  const featureService = await startTallyService(
    context,
    'feature-service',
    { STORE_URL: store.database.url, ...extraEnv, ...serviceEnv['feature-service'] },
    nodeArgs,
    `feature-service ${runName}`,
  );
  let modelServer: ServiceProcess | undefined;
  try {
    modelServer = await startTallyService(
      context,
      'model-server',
      {
        MODEL_REPOSITORY: path.join(context.repoRoot, 'models'),
        [addressVariable]: featureService.address,
        ...extraEnv,
        ...serviceEnv['model-server'],
      },
      nodeArgs,
      `model-server ${runName}`,
    );
    const schema = await describeFeatureSet(featureService.address, MODEL);
    const target: ScoreTarget = {
      kind: 'score',
      address: modelServer.address,
      model: MODEL,
      keyName: schema.entityKeys[0]!.name,
      keys: { first: 1, count: Math.min(WARM_KEYS, store.rowCount) },
      context: benchContextValues(schema, demoCsv(context.repoRoot)),
    };
    const address = modelServer.address;
    await probe('model-server Score', () => {
      const client = createScoringServiceClient(address);
      return new Promise((resolve, reject) =>
        client.Score(
          { model: MODEL, entityKeys: { [target.keyName]: { int64Value: 1 } }, context: target.context },
          { deadline: Date.now() + 10000 },
          (err, res) => {
            client.close();
            if (err) reject(err);
            else resolve(res);
          },
        ),
      );
    });
    const started = modelServer;
    return { featureService, modelServer, target, stop: () => stopAll([started, featureService]) };
  } catch (err) {
    await stopAll([modelServer, featureService]);
    throw err;
  }
}
