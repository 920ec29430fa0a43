import fs from 'node:fs';
import path from 'node:path';
import { OtlpReceiver } from '@tally/testkit';
import { runLoad } from '../load/run-load';
import type { Measurement } from '../measurement';
import { labels } from '../measurement-labels';
import { closed, loadRun, pidsOf } from './load-helpers';
import { ScenarioSkipped } from './scenario';
import type { Scenario } from './scenario';
import { loadStore, startScoreStack } from './score-stack';
import type { LoadedStore, ScoreStack } from './score-stack';

/** Sampling settings compared: tracing off (no endpoint), 1% and 100% of traces kept. */
export const SAMPLINGS: Array<{ name: string; env: (endpoint: string) => NodeJS.ProcessEnv }> = [
  { name: 'off', env: () => ({}) },
  {
    name: '1%',
    env: (endpoint) => ({
      OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0.01',
    }),
  },
  {
    name: '100%',
    env: (endpoint) => ({
      OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
      OTEL_TRACES_SAMPLER: 'parentbased_always_on',
    }),
  },
];

/** The round with the median throughput (the lower middle one for an even count). */
export function medianRound(rounds: readonly Measurement[]): Measurement | undefined {
  const sorted = [...rounds].sort((a, b) => a.throughputPerSec - b.throughputPerSec);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

/** Score throughput with both services started with the telemetry preloaded, at each sampling setting. */
export const tracingScenario: Scenario = {
  name: 'tracing',
  title: 'Tracing overhead on Score',
  async run(context, output) {
    if (context.profile.quick)
      throw new ScenarioSkipped(
        'not in a quick run: the server-cost scenario measures tracing as server CPU per Score call (h2load)',
      );
    const register = path.join(context.repoRoot, 'packages', 'telemetry', 'dist', 'register.js');
    if (!fs.existsSync(register))
      throw new ScenarioSkipped(`the telemetry register hook is not built (${register})`);
    let store: LoadedStore | undefined;
    let receiver: OtlpReceiver | undefined;
    try {
      store = await loadStore(context);
      receiver = await OtlpReceiver.start();
      output.notes.push(
        'Both services run with `--require @tally/telemetry/register`, exporting OTLP/gRPC to a real receiver ' +
          'in the runner process; "off" sets no endpoint. Client sends no trace context, so the services make ' +
          'the sampling decision (parentbased_traceidratio 0.01, parentbased_always_on).',
      );
      const rounds = context.profile.tracingRounds;
      output.notes.push(
        `Settings interleaved in ${rounds} round(s) (off, 1%, 100%, off, …), each on a freshly started pair of ` +
          'services (the sampling is read at start), so drift of the machine hits every setting alike; each ' +
          'row is the round with the median throughput (every round is in the JSON).',
      );
      const measured = new Map<string, Measurement[]>(SAMPLINGS.map((s) => [s.name, []]));
      for (let round = 1; round <= rounds; round += 1) {
        for (const sampling of SAMPLINGS) {
          context.log(`tracing: round ${round}/${rounds}, sampling ${sampling.name}`);
          let stack: ScoreStack | undefined;
          try {
            stack = await startScoreStack(
              context,
              store,
              sampling.env(receiver.endpoint),
              ['--require', register],
              `tracing ${sampling.name} round ${round}`,
            );
            const m = await runLoad(
              loadRun(context, labels.tracing.at(sampling.name), 'service', stack.target, closed(16), {
                serverPids: pidsOf(stack.modelServer, stack.featureService),
              }),
            );
            measured.get(sampling.name)!.push({ ...m, load: `${m.load}, round ${round}` });
          } finally {
            await stack?.stop();
          }
        }
      }
      for (const sampling of SAMPLINGS) {
        const all = measured.get(sampling.name)!;
        const median = medianRound(all);
        if (median === undefined) continue;
        output.measurements.push({
          ...median,
          load: `closed c=16, median of ${all.length} round(s)`,
          ...(all.length > 1 ? { rounds: all } : {}),
        });
      }
      output.notes.push(`Spans received over the whole scenario: ${receiver.spans.length}.`);
    } finally {
      await receiver?.stop();
      await store?.database.drop();
    }
  },
};
