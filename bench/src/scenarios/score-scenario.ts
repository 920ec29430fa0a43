import type { ServiceProcess } from '@tally/testkit';
import type { ScoreTarget } from '../load/load-spec';
import { runLoad } from '../load/run-load';
import { labels } from '../measurement-labels';
import { startNoopServer, stopAll } from '../servers/start-servers';
import { closed, comparisonRate, loadRun, open, pidsOf } from './load-helpers';
import type { Scenario } from './scenario';
import { loadStore, startScoreStack } from './score-stack';
import type { LoadedStore, ScoreStack } from './score-stack';

/** Score end to end (client → model-server → feature-service → MySQL/cache → ONNX) beside a no-op two-hop chain. */
export const scoreScenario: Scenario = {
  name: 'score',
  title: 'Score end to end',
  async run(context, output) {
    let store: LoadedStore | undefined;
    let stack: ScoreStack | undefined;
    let noopB: ServiceProcess | undefined;
    let noopA: ServiceProcess | undefined;
    try {
      store = await loadStore(context);
      stack = await startScoreStack(context, store);
      noopB = await startNoopServer({}, context, 'no-op B');
      noopA = await startNoopServer({ NOOP_DOWNSTREAM: noopB.address }, context, 'no-op A');
      output.notes.push(
        `Score of the shipped model \`credit_risk\` (models/, its default version) for applicants cycling over ` +
          `${stack.target.keys.count} keys (warm feature cache), MySQL store with ${store.rowCount} applicants. ` +
          'The chain baseline: client → no-op A (Score) → no-op B (GetFeatureVectors), bare grpc-js.',
      );
      const chain: ScoreTarget = { ...stack.target, address: noopA.address };
      const servicePids = pidsOf(stack.modelServer, stack.featureService);
      const chainPids = pidsOf(noopA, noopB);
      output.measurements.push(
        await runLoad(
          loadRun(context, labels.score.chain, 'baseline', chain, closed(16), { serverPids: chainPids }),
        ),
        await runLoad(
          loadRun(context, labels.score.score, 'service', stack.target, closed(16), {
            serverPids: servicePids,
          }),
        ),
      );
      const find = (label: string) => output.measurements.find((m) => m.label === label);
      const rate = comparisonRate(find(labels.score.chain), find(labels.score.score));
      context.log(`score: open loop at ${rate}/s`);
      output.measurements.push(
        await runLoad(
          loadRun(context, labels.score.chainOpen, 'baseline', chain, open(rate), { serverPids: chainPids }),
        ),
        await runLoad(
          loadRun(context, labels.score.scoreOpen, 'service', stack.target, open(rate), {
            serverPids: servicePids,
          }),
        ),
      );
      // Reasons: the trees version (1) with include_reasons off, then on (TreeSHAP in the workers).
      output.notes.push(
        'Reasons on vs off: the same Score against version 1 (the xgboost trees), without and with ' +
          '`include_reasons` (exact TreeSHAP in the inference workers, then the reason map).',
      );
      const reasonTargets = {
        off: { ...stack.target, version: '1', includeReasons: false },
        on: { ...stack.target, version: '1', includeReasons: true },
      } satisfies Record<string, ScoreTarget>;
      for (const reasons of ['off', 'on'] as const) {
        output.measurements.push(
          await runLoad(
            loadRun(
              context,
              labels.score.trees(reasons),
              reasons === 'off' ? 'baseline' : 'service',
              reasonTargets[reasons],
              closed(16),
              {
                serverPids: servicePids,
              },
            ),
          ),
        );
      }
      const reasonsRate = comparisonRate(find(labels.score.trees('off')), find(labels.score.trees('on')));
      context.log(`score: reasons open loop at ${reasonsRate}/s`);
      for (const reasons of ['off', 'on'] as const) {
        output.measurements.push(
          await runLoad(
            loadRun(
              context,
              labels.score.treesOpen(reasons),
              reasons === 'off' ? 'baseline' : 'service',
              reasonTargets[reasons],
              open(reasonsRate),
              {
                serverPids: servicePids,
              },
            ),
          ),
        );
      }
    } finally {
      await stack?.stop();
      await stopAll([noopA, noopB]);
      await store?.database.drop();
    }
  },
};
