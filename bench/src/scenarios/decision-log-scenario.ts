import fs from 'node:fs';
import path from 'node:path';
import { runLoad } from '../load/run-load';
import type { Measurement } from '../measurement';
import { labels } from '../measurement-labels';
import { closed, loadRun, pidsOf } from './load-helpers';
import type { Scenario } from './scenario';
import { loadStore, startScoreStack } from './score-stack';
import type { LoadedStore, ScoreStack } from './score-stack';
import { medianRound } from './tracing-scenario';

/** A copy of the shipped models whose credit_risk scores version 1 in shadow beside version 2. */
function shadowRepository(repoRoot: string, tmpDir: string): string {
  const dir = fs.mkdtempSync(path.join(tmpDir, 'models-shadow-'));
  fs.cpSync(path.join(repoRoot, 'models'), dir, { recursive: true });
  fs.appendFileSync(path.join(dir, 'credit_risk/config.yaml'), 'challenger:\n  version: 1\n  mode: shadow\n');
  return dir;
}

/** Score with the decision log off, on, and on with a shadow challenger (docs/decision-log.md). */
export const decisionLogScenario: Scenario = {
  name: 'decision-log',
  title: 'Decision log and shadow challenger on Score',
  async run(context, output) {
    let store: LoadedStore | undefined;
    try {
      store = await loadStore(context);
      const settings: Array<{ name: string; env: NodeJS.ProcessEnv }> = [
        { name: 'off', env: { DECISION_LOG_ENABLED: 'false' } },
        { name: 'on', env: {} },
        {
          name: 'on + shadow challenger',
          env: { MODEL_REPOSITORY: shadowRepository(context.repoRoot, context.tmpDir) },
        },
      ];
      const rounds = context.profile.tracingRounds;
      output.notes.push(
        'Score of credit_risk (version 2) at c=16. "on": every answer waits for its record to be fsync\'d ' +
          '(group commit) in a local folder, shipped to the run\'s MySQL database in batches. "off": ' +
          'DECISION_LOG_ENABLED=false. "on + shadow challenger": version 1 also scores every decision in ' +
          `shadow and is logged too. Settings interleaved in ${rounds} round(s) on freshly started services; ` +
          'each row is the round with the median throughput.',
      );
      const measured = new Map<string, Measurement[]>(settings.map((s) => [s.name, []]));
      for (let round = 1; round <= rounds; round += 1) {
        for (const setting of settings) {
          context.log(`decision-log: round ${round}/${rounds}, log ${setting.name}`);
          let stack: ScoreStack | undefined;
          try {
            stack = await startScoreStack(context, store, setting.env, [], `decision log ${setting.name}`);
            const m = await runLoad(
              loadRun(context, labels.decisions.at(setting.name), 'service', stack.target, closed(16), {
                serverPids: pidsOf(stack.modelServer, stack.featureService),
              }),
            );
            measured.get(setting.name)!.push({ ...m, load: `${m.load}, round ${round}` });
          } finally {
            await stack?.stop();
          }
        }
      }
      for (const setting of settings) {
        const all = measured.get(setting.name)!;
        const median = medianRound(all);
        if (median === undefined) continue;
        output.measurements.push({
          ...median,
          load: `closed c=16, median of ${all.length} round(s)`,
          ...(all.length > 1 ? { rounds: all } : {}),
        });
      }
    } finally {
      await store?.database.drop();
    }
  },
};
