import type { ServiceProcess } from '@tally/testkit';
import {
  benchContextValues,
  createBenchDatabase,
  demoCsv,
  describeFeatureSet,
  loadDemoRows,
  storeTables,
} from '../fixtures/feature-store';
import type { BenchDatabase } from '../fixtures/feature-store';
import type { FeatureVectorsTarget, KeyPlan, MysqlTarget } from '../load/load-spec';
import { createCaller } from '../load/callers';
import { runLoad } from '../load/run-load';
import { labels } from '../measurement-labels';
import { declaredEnv, probe, startNoopServer, startTallyService, stopAll } from '../servers/start-servers';
import { closed, comparisonRate, loadRun, open, pidsOf } from './load-helpers';
import type { BenchContext, Scenario } from './scenario';

const FEATURE_SET = 'credit_risk';
const WARM_KEYS = 200;

/** Environment that turns the feature-service's cache off, if the service declares a way to. */
function cacheOffEnv(context: BenchContext): NodeJS.ProcessEnv | undefined {
  const names = declaredEnv(context, 'feature-service');
  const size = names.find((n) => /CACHE/.test(n) && /(MAX_ENTRIES|ENTRIES|SIZE)/.test(n));
  if (size !== undefined) return { [size]: '0' };
  const enabled = names.find((n) => /CACHE/.test(n) && /ENABLED/.test(n));
  return enabled !== undefined ? { [enabled]: 'false' } : undefined;
}

/**
 * GetFeatureVectors for 1 and 100 entities, warm cache and cold store, beside a no-op grpc-js server
 * with a reply of the same size and raw mysql2 queries for the same keys (MySQL store).
 */
export const featureVectorsScenario: Scenario = {
  name: 'feature-vectors',
  title: 'Feature vectors from MySQL',
  async run(context, output) {
    let database: BenchDatabase | undefined;
    let noop: ServiceProcess | undefined;
    let warm: ServiceProcess | undefined;
    let cold: ServiceProcess | undefined;
    try {
      database = await createBenchDatabase(context.mysqlUrl);
      warm = await startTallyService(
        context,
        'feature-service',
        { STORE_URL: database.url },
        [],
        'feature-service warm cache (also loads the store)',
      );
      const warmAddress = warm.address;
      const schema = await describeFeatureSet(warmAddress, FEATURE_SET).catch(async (err: unknown) => {
        await probe('feature-service DescribeFeatureSet', () => Promise.reject(err));
        throw err;
      });
      let rowCount = 0;
      await probe('feature-service WriteFeatureRows', async () => {
        rowCount = await loadDemoRows(warmAddress, schema, demoCsv(context.repoRoot));
      });
      const keyName = schema.entityKeys[0]!.name;
      const ctx = benchContextValues(schema, demoCsv(context.repoRoot));
      const allKeys: KeyPlan = { first: 1, count: rowCount };
      const warmKeys: KeyPlan = { first: 1, count: Math.min(WARM_KEYS, rowCount) };
      const fv = (address: string, keys: KeyPlan, entitiesPerCall: number): FeatureVectorsTarget => ({
        kind: 'feature-vectors',
        address,
        featureSet: FEATURE_SET,
        keyName,
        keys,
        entitiesPerCall,
        context: ctx,
      });
      await probe('feature-service GetFeatureVectors', async () => {
        const caller = createCaller(fv(warmAddress, warmKeys, 1), 10000);
        try {
          await caller.call(0);
        } finally {
          await caller.close();
        }
      });
      const offEnv = cacheOffEnv(context);
      cold = await startTallyService(
        context,
        'feature-service',
        {
          STORE_URL: database.url,
          ...(offEnv ?? {}),
        },
        [],
        'feature-service cache off',
      );
      noop = await startNoopServer({ NOOP_WIDTH: String(schema.columns.length) }, context);
      output.notes.push(
        `Store: MySQL (MariaDB) database made for this run, ${rowCount} applicants from data/lending_club.csv ` +
          `loaded through WriteFeatureRows; feature set \`${FEATURE_SET}\`, ${schema.columns.length} columns, ` +
          `${storeTables(schema).length} stored view(s).`,
        `Warm cache: keys cycle over ${warmKeys.count} applicants (all cached after the warm-up). Cold store: keys ` +
          `cycle over all ${rowCount} applicants on a second feature-service process ` +
          (offEnv
            ? `with its cache off (${Object.entries(offEnv)
                .map(([k, v]) => `${k}=${v}`)
                .join(', ')}).`
            : 'whose cache could not be turned off (no cache-size variable declared): repeats may hit the cache.'),
        'The no-op server answers with the same number of vectors of the same width; raw mysql2 sends the ' +
          'store’s own query (`SELECT … WHERE applicant_id IN (…)`, one per stored view) for the same keys.',
      );
      const tables = storeTables(schema);
      const sql = (entitiesPerCall: number): MysqlTarget => ({
        kind: 'mysql',
        url: database!.url,
        tables,
        keys: allKeys,
        entitiesPerCall,
        poolSize: 4,
      });
      const warmPids = pidsOf(warm);
      for (const entities of [1, 100]) {
        context.log(`feature-vectors: ${entities} entities`);
        output.measurements.push(
          await runLoad(
            loadRun(
              context,
              labels.features.noop(entities),
              'baseline',
              fv(noop.address, warmKeys, entities),
              closed(16),
              {
                rowsPerCall: entities,
                serverPids: pidsOf(noop),
              },
            ),
          ),
          await runLoad(
            loadRun(
              context,
              labels.features.warm(entities),
              'service',
              fv(warmAddress, warmKeys, entities),
              closed(16),
              {
                rowsPerCall: entities,
                serverPids: warmPids,
              },
            ),
          ),
          await runLoad(
            loadRun(
              context,
              labels.features.cold(entities),
              'service',
              fv(cold.address, allKeys, entities),
              closed(1),
              {
                rowsPerCall: entities,
                serverPids: pidsOf(cold),
              },
            ),
          ),
          await runLoad(
            loadRun(context, labels.features.mysql(entities), 'baseline', sql(entities), closed(1), {
              rowsPerCall: entities,
            }),
          ),
        );
      }
      const find = (label: string) => output.measurements.find((m) => m.label === label);
      const rate = comparisonRate(find(labels.features.noop(1)), find(labels.features.warm(1)));
      context.log(`feature-vectors: open loop at ${rate}/s`);
      output.measurements.push(
        await runLoad(
          loadRun(context, labels.features.noopOpen, 'baseline', fv(noop.address, warmKeys, 1), open(rate), {
            rowsPerCall: 1,
            serverPids: pidsOf(noop),
          }),
        ),
        await runLoad(
          loadRun(context, labels.features.warmOpen, 'service', fv(warmAddress, warmKeys, 1), open(rate), {
            rowsPerCall: 1,
            serverPids: warmPids,
          }),
        ),
      );
    } finally {
      await stopAll([noop, warm, cold]);
      await database?.drop();
    }
  },
};
