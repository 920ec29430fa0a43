import fs from 'node:fs';
import path from 'node:path';
import {
  featureServiceDefinition,
  inferenceServiceDefinition,
  scoringServiceDefinition,
} from '@tally/contracts';
import { OtlpReceiver, freePort } from '@tally/testkit';
import type { ServiceProcess } from '@tally/testkit';
import { demoModel } from '../fixtures/model-repository';
import { cpuPlan, pinProcess } from '../h2load/cpu-pinning';
import { writeGrpcFrame } from '../h2load/grpc-frame';
import { counterTotal, scrapeMetrics } from '../h2load/server-codes';
import { H2LOAD_INSTALL, h2loadVersion } from '../h2load/h2load';
import { measureH2load } from '../h2load/h2load-measurement';
import type { H2loadCase, MeasuredProcess } from '../h2load/h2load-measurement';
import type { Measurement } from '../measurement';
import { labels } from '../measurement-labels';
import { startNoopServer, stopAll } from '../servers/start-servers';
import { ScenarioSkipped } from './scenario';
import type { BenchContext } from './scenario';
import type { Scenario } from './scenario';
import { loadStore, startScoreStack } from './score-stack';
import type { LoadedStore, ScoreStack } from './score-stack';
import { SAMPLINGS, medianRound } from './tracing-scenario';

const MODEL = 'credit_risk';
const cost = labels.cost;

/** Calls per run: enough CPU ticks (10 ms each) for a steady per-call figure. */
function callCounts(context: BenchContext): { single: number; many: number; traced: number } {
  return context.profile.quick
    ? { single: 300, many: 2000, traced: 600 }
    : { single: 3000, many: 20000, traced: 6000 };
}

function metricsPortOf(service: ServiceProcess): number | undefined {
  const port = Number(service.records().find((r) => r.message === 'listening')?.metrics_port);
  return Number.isInteger(port) && port > 0 ? port : undefined;
}

function measured(service: ServiceProcess): MeasuredProcess {
  const metricsPort = metricsPortOf(service);
  return { pid: service.child.pid!, ...(metricsPort ? { metricsPort } : {}) };
}

/** Rows and batches the model-server has computed so far (its own counters). */
async function batchTotals(service: ServiceProcess): Promise<{ rows: number; batches: number }> {
  const port = metricsPortOf(service);
  if (port === undefined) return { rows: 0, batches: 0 };
  const text = await scrapeMetrics(port);
  return {
    rows: counterTotal(text, 'tally_inference_rows_total'),
    batches: counterTotal(text, 'tally_inference_batches_total'),
  };
}

/**
 * The servers measured with h2load (a C load generator far faster than any server here) replaying
 * pre-built gRPC frames, pinned to another core than the servers, for a fixed number of calls: server
 * CPU per call beside throughput and latency, every pair interleaved over rounds.
 */
export const serverCostScenario: Scenario = {
  name: 'server-cost',
  title: 'Server cost per call (h2load, fixed call counts, pinned cores)',
  async run(context, output) {
    const version = h2loadVersion();
    if (version === undefined) throw new ScenarioSkipped(`h2load is not installed: ${H2LOAD_INSTALL}`);
    const register = path.join(context.repoRoot, 'packages', 'telemetry', 'dist', 'register.js');
    if (!fs.existsSync(register))
      throw new ScenarioSkipped(`the telemetry register hook is not built (${register})`);
    const plan = cpuPlan();
    const counts = callCounts(context);
    const model = await demoModel(context);
    let store: LoadedStore | undefined;
    let receiver: OtlpReceiver | undefined;
    const noops: ServiceProcess[] = [];
    const stacks = new Map<string, ScoreStack>();
    try {
      // Only applicant 1 is asked for (warm); a few rows are enough.
      store = await loadStore(context, 200);
      receiver = await OtlpReceiver.start();
      const loaded = store;
      const endpoint = receiver.endpoint;
      const noop = await startNoopServer({ NOOP_WIDTH: String(model.width) }, context, 'no-op (h2load)');
      noops.push(noop);
      const chainHead = await startNoopServer(
        { NOOP_WIDTH: String(model.width), NOOP_DOWNSTREAM: noop.address },
        context,
        'no-op chain head (h2load)',
      );
      noops.push(chainHead);
      context.log('server-cost: starting a Score stack per tracing setting');
      const started = await Promise.allSettled(
        SAMPLINGS.map(async (sampling) => {
          const stack = await startScoreStack(
            context,
            loaded,
            sampling.env(endpoint),
            ['--require', register],
            `h2load tracing ${sampling.name}`,
            {
              'feature-service': { METRICS_PORT: String(await freePort()) },
              'model-server': { METRICS_PORT: String(await freePort()) },
            },
          );
          stacks.set(sampling.name, stack);
        }),
      );
      const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
      const all = [...noops, ...[...stacks.values()].flatMap((s) => [s.modelServer, s.featureService])];
      for (const p of all) pinProcess(p.child.pid!, plan.serverCpus);

      const off = stacks.get('off')!;
      const frame = (name: string, write: (file: string) => string) => write(path.join(context.tmpDir, name));
      const inferFrame = frame('model-infer.bin', (f) =>
        writeGrpcFrame(f, inferenceServiceDefinition().ModelInfer, {
          modelName: MODEL,
          modelVersion: model.version,
          inputs: [{ name: model.inputName, datatype: 'FP32', shape: [1, model.width] }],
          rawInputContents: [Buffer.alloc(model.width * 4)],
        }),
      );
      const entityKeys = { [off.target.keyName]: { int64Value: 1 } };
      const featuresFrame = frame('get-feature-vectors.bin', (f) =>
        writeGrpcFrame(f, featureServiceDefinition().GetFeatureVectors, {
          featureSet: MODEL,
          entities: [{ keys: entityKeys }],
          context: off.target.context,
        }),
      );
      const scoreFrame = frame('score.bin', (f) =>
        writeGrpcFrame(f, scoringServiceDefinition().Score, {
          model: MODEL,
          entityKeys,
          context: off.target.context,
        }),
      );
      const INFER = '/inference.GRPCInferenceService/ModelInfer';
      const FEATURES = '/tally.feature.v1.FeatureService/GetFeatureVectors';
      const SCORE = '/tally.model.v1.ScoringService/Score';
      const base = { generatorCpus: plan.generatorCpus, tmpDir: context.tmpDir };
      const stackServers = (s: ScoreStack) => [measured(s.modelServer), measured(s.featureService)];
      // Pairs (and the tracing triple) measured back to back, in alternating order from round to round.
      const groups: H2loadCase[][] = [
        [1, 64].map(
          (inFlight) =>
            [
              {
                ...base,
                label: cost.inferNoop(inFlight),
                subject: 'baseline',
                address: noop.address,
                method: INFER,
                frameFile: inferFrame,
                calls: inFlight === 1 ? counts.single : counts.many,
                inFlight,
                servers: [measured(noop)],
                rowsPerCall: 1,
              },
              {
                ...base,
                label: cost.infer(inFlight),
                subject: 'service',
                address: off.modelServer.address,
                method: INFER,
                frameFile: inferFrame,
                calls: inFlight === 1 ? counts.single : counts.many,
                inFlight,
                servers: [measured(off.modelServer)],
                rowsPerCall: 1,
              },
            ] satisfies H2loadCase[],
        ),
        [
          [
            {
              ...base,
              label: cost.featuresNoop,
              subject: 'baseline',
              address: noop.address,
              method: FEATURES,
              frameFile: featuresFrame,
              calls: counts.single,
              inFlight: 1,
              servers: [measured(noop)],
            },
            {
              ...base,
              label: cost.features,
              subject: 'service',
              address: off.featureService.address,
              method: FEATURES,
              frameFile: featuresFrame,
              calls: counts.single,
              inFlight: 1,
              servers: [measured(off.featureService)],
            },
          ] satisfies H2loadCase[],
          [
            {
              ...base,
              label: cost.chain,
              subject: 'baseline',
              address: chainHead.address,
              method: SCORE,
              frameFile: scoreFrame,
              calls: counts.single,
              inFlight: 1,
              servers: [measured(chainHead), measured(noop)],
            },
            {
              ...base,
              label: cost.score,
              subject: 'service',
              address: off.modelServer.address,
              method: SCORE,
              frameFile: scoreFrame,
              calls: counts.single,
              inFlight: 1,
              servers: stackServers(off),
            },
          ] satisfies H2loadCase[],
          SAMPLINGS.map(
            (s) =>
              ({
                ...base,
                label: cost.tracing(s.name),
                subject: s.name === 'off' ? 'baseline' : 'service',
                address: stacks.get(s.name)!.modelServer.address,
                method: SCORE,
                frameFile: scoreFrame,
                calls: counts.traced,
                inFlight: 16,
                servers: stackServers(stacks.get(s.name)!),
              }) satisfies H2loadCase,
          ),
        ],
      ].flat();

      output.notes.push(
        `Load: ${version}, one HTTP/2 connection, replaying one pre-built gRPC frame per method for a fixed ` +
          `number of calls (${counts.single} one at a time, ${counts.many} at 64 in flight, ${counts.traced} ` +
          `Score at 16 in flight with tracing). CPU: ${plan.description}.`,
        'Server CPU per call = user + system ticks (10 ms) of every server process of the call, worker ' +
          'threads included, from /proc/<pid>/stat fields 14 and 15, read before and after the run. For ' +
          'Score that is both services (or both no-op hops). h2load counts any HTTP 200 as a success, so the ' +
          'errors column adds every non-OK code the services counted in their own metrics ' +
          '(tally_rpc_duration_seconds_count by code); the no-op servers always answer OK.',
        `ModelInfer: models/credit_risk/${model.version} as shipped (max_batch_size 64, max_queue_delay 500 µs, ` +
          'preferred 16/32/64, one worker) on the tracing-off model-server; GetFeatureVectors and Score: one ' +
          'warm entity (applicant 1) on MySQL. Every service runs with `--require @tally/telemetry/register`; ' +
          '"off" sets no OTLP endpoint.',
      );
      // Warm-up: JIT, connections, the cache entry, the model's first batches. Not recorded.
      for (const c of groups.flat()) {
        await measureH2load({ ...c, calls: Math.min(c.calls, 200) });
      }
      const rounds = context.profile.tracingRounds;
      const batchNotes: string[] = [];
      const byLabel = new Map<string, Measurement[]>();
      for (let round = 1; round <= rounds; round += 1) {
        context.log(`server-cost: round ${round}/${rounds}`);
        for (const group of groups) {
          const ordered = round % 2 === 0 ? [...group].reverse() : group;
          for (const c of ordered) {
            const batching = c.label === cost.infer(64) ? await batchTotals(off.modelServer) : undefined;
            const m = await measureH2load(c);
            if (batching) {
              const after = await batchTotals(off.modelServer);
              const batches = after.batches - batching.batches;
              const rows = after.rows - batching.rows;
              batchNotes.push(
                `round ${round}: ${rows} rows in ${batches} batches (mean ${(rows / Math.max(1, batches)).toFixed(1)})`,
              );
            }
            byLabel.set(c.label, [
              ...(byLabel.get(c.label) ?? []),
              { ...m, load: `${m.load}, round ${round}` },
            ]);
          }
        }
      }
      for (const c of groups.flat()) {
        const all = byLabel.get(c.label) ?? [];
        const median = medianRound(all);
        if (median === undefined) continue;
        output.measurements.push({
          ...median,
          load: `h2load ${c.calls} calls, ${c.inFlight} in flight, median of ${all.length} round(s)`,
          ...(all.length > 1 ? { rounds: all } : {}),
        });
      }
      output.notes.push(
        `Batching at 64 in flight (the model-server's tally_inference_rows_total / _batches_total): ${batchNotes.join('; ')}.`,
      );
      output.notes.push(
        `Rounds: ${rounds}, each measuring every pair back to back (order alternating); each row is the round ` +
          'with the median throughput, and every target is the median of the per-round ratios. Spans ' +
          `received: ${receiver.spans.length}.`,
      );
    } finally {
      await stopAll([...stacks.values()].flatMap((s) => [s.modelServer, s.featureService]));
      await stopAll(noops);
      await receiver?.stop();
      await store?.database.drop();
    }
  },
};
