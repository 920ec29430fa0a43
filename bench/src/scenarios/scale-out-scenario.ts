import os from 'node:os';
import { freePort } from '@tally/testkit';
import type { ServiceProcess } from '@tally/testkit';
import { benchContextValues, demoCsv, describeFeatureSet } from '../fixtures/feature-store';
import { pinProcess } from '../h2load/cpu-pinning';
import { scrapeCodeCounts } from '../h2load/server-codes';
import type { FeatureVectorsTarget } from '../load/load-spec';
import { runLoad } from '../load/run-load';
import type { Measurement } from '../measurement';
import { labels } from '../measurement-labels';
import { startTallyService, stopAll } from '../servers/start-servers';
import { closed, loadRun, pidsOf } from './load-helpers';
import type { Scenario } from './scenario';
import { loadStore } from './score-stack';
import type { LoadedStore } from './score-stack';
import { medianRound } from './tracing-scenario';

const FEATURE_SET = 'credit_risk';
/** Few keys, so the warm-up pass caches every one in both processes. */
const KEYS = 20;

function metricsPortOf(service: ServiceProcess): number {
  return Number(service.records().find((r) => r.message === 'listening')?.metrics_port);
}

/** Calls answered OK by a feature-service so far (its own metrics). */
async function okCalls(service: ServiceProcess): Promise<number> {
  return (await scrapeCodeCounts(metricsPortOf(service))).OK ?? 0;
}

/**
 * Scale-out: the same closed loop against one feature-service, then against two behind one
 * round_robin channel (each generator process holds one), each process on its own core when there
 * are two. Reports the throughput ratio and how the calls split between the two.
 */
export const scaleOutScenario: Scenario = {
  name: 'scale-out',
  title: 'GetFeatureVectors on 1 vs 2 feature-service processes behind one round_robin client',
  async run(context, output) {
    let store: LoadedStore | undefined;
    const services: ServiceProcess[] = [];
    try {
      store = await loadStore(context, KEYS);
      for (let i = 0; i < 2; i += 1) {
        services.push(
          await startTallyService(
            context,
            'feature-service',
            { STORE_URL: store.database.url, METRICS_PORT: String(await freePort()) },
            [],
            `feature-service scale-out ${i + 1}`,
          ),
        );
      }
      const [a, b] = services as [ServiceProcess, ServiceProcess];
      const pinned = os.cpus().length >= 2;
      if (pinned) {
        pinProcess(a.child.pid!, '0');
        pinProcess(b.child.pid!, '1');
      }
      const schema = await describeFeatureSet(a.address, FEATURE_SET);
      const target = (address: string): FeatureVectorsTarget => ({
        kind: 'feature-vectors',
        address,
        featureSet: FEATURE_SET,
        keyName: schema.entityKeys[0]!.name,
        keys: { first: 1, count: KEYS },
        entitiesPerCall: 1,
        context: benchContextValues(schema, demoCsv(context.repoRoot)),
      });
      output.notes.push(
        `Two feature-service processes on one MySQL store (${KEYS} applicants, warm cache, 1 entity per call)` +
          (pinned ? ', pinned to CPU 0 and CPU 1 (taskset)' : '') +
          '. "1" drives only the first; "2" drives both through one `ipv4:a,b` target with round_robin in each ' +
          `generator process (${context.profile.generators}, not pinned: on 2 cores they share the servers' ` +
          'cores, so 2× is out of reach here by construction; see client CPU).',
      );
      // Warm-up (not recorded): every key into each process's cache, connections up.
      for (const address of [a.address, `${a.address},${b.address}`]) {
        await runLoad(loadRun(context, 'scale-out warm-up', 'service', target(address), closed(4)));
      }
      const rounds = context.profile.tracingRounds;
      const one: Measurement[] = [];
      const two: Measurement[] = [];
      const splits: string[] = [];
      for (let round = 1; round <= rounds; round += 1) {
        context.log(`scale-out: round ${round}/${rounds}`);
        one.push(
          await runLoad(
            loadRun(context, labels.scaleOut.one, 'baseline', target(a.address), closed(32), {
              serverPids: pidsOf(a),
            }),
          ),
        );
        const before = await Promise.all([okCalls(a), okCalls(b)]);
        two.push(
          await runLoad(
            loadRun(
              context,
              labels.scaleOut.two,
              'service',
              target(`${a.address},${b.address}`),
              closed(32),
              {
                serverPids: pidsOf(a, b),
              },
            ),
          ),
        );
        const after = await Promise.all([okCalls(a), okCalls(b)]);
        const split = after.map((n, i) => n - before[i]!);
        splits.push(`round ${round}: ${split[0]} / ${split[1]}`);
      }
      for (const [label, all] of [
        [labels.scaleOut.one, one],
        [labels.scaleOut.two, two],
      ] as const) {
        const median = medianRound(all);
        if (median)
          output.measurements.push({ ...median, label, ...(all.length > 1 ? { rounds: all } : {}) });
      }
      output.notes.push(
        `Calls answered OK by process 1 / process 2 under "2" (their own metrics): ${splits.join('; ')}.`,
      );
    } finally {
      await stopAll(services);
      await store?.database.drop();
    }
  },
};
