import type { ServiceProcess } from '@tally/testkit';
import { createInferenceServiceClient } from '@tally/contracts';
import { runRawOrt } from '../baselines/run-raw-ort';
import {
  BATCHED_MODEL,
  UNBATCHED_MODEL,
  demoModel,
  writeBenchRepository,
} from '../fixtures/model-repository';
import type { ModelInferTarget } from '../load/load-spec';
import { runLoad } from '../load/run-load';
import { labels } from '../measurement-labels';
import { probe, startNoopServer, startTallyService, stopAll } from '../servers/start-servers';
import { closed, comparisonRate, loadRun, open, pidsOf } from './load-helpers';
import type { Scenario } from './scenario';

export const CONCURRENCIES = [1, 16, 64] as const;

const modelInferLabels = labels.infer;

/**
 * ModelInfer (OIP v2), single-row requests at concurrency 1, 16 and 64, batching on and off, beside a
 * no-op grpc-js server and raw in-process ONNX Runtime at the same batch sizes.
 */
export const modelInferScenario: Scenario = {
  name: 'model-infer',
  title: 'ModelInfer, single-row requests',
  async run(context, output) {
    const model = await demoModel(context);
    const repository = writeBenchRepository(context, model);
    output.notes.push(
      `Model: models/credit_risk/${model.version} (input \`${model.inputName}\` [batch, ${model.width}] float32), ` +
        `served as \`${BATCHED_MODEL}\` (max_batch_size 64, max_queue_delay 500 µs, preferred 16/32/64) and ` +
        `\`${UNBATCHED_MODEL}\` (max_batch_size 0), one inference worker each; requests carry raw FP32 rows.`,
    );
    let noop: ServiceProcess | undefined;
    let server: ServiceProcess | undefined;
    try {
      noop = await startNoopServer({}, context);
      server = await startTallyService(context, 'model-server', { MODEL_REPOSITORY: repository });
      const address = server.address;
      const target = (modelName: string, at: string): ModelInferTarget => ({
        kind: 'model-infer',
        address: at,
        modelName,
        inputName: model.inputName,
        width: model.width,
        rowsPerCall: 1,
      });
      for (const name of [BATCHED_MODEL, UNBATCHED_MODEL]) {
        await probe(`model-server ModelInfer (${name})`, () => {
          const client = createInferenceServiceClient(address);
          return new Promise((resolve, reject) =>
            client.ModelInfer(
              {
                modelName: name,
                inputs: [{ name: model.inputName, datatype: 'FP32', shape: [1, model.width] }],
                rawInputContents: [Buffer.alloc(model.width * 4)],
              },
              { deadline: Date.now() + 10000 },
              (err, res) => {
                client.close();
                if (err) reject(err);
                else resolve(res);
              },
            ),
          );
        });
      }
      const serverPids = pidsOf(server);
      const noopPids = pidsOf(noop);
      for (const c of CONCURRENCIES) {
        context.log(`model-infer: concurrency ${c}`);
        output.measurements.push(
          await runLoad(
            loadRun(context, modelInferLabels.noop(c), 'baseline', target('noop', noop.address), closed(c), {
              rowsPerCall: 1,
              serverPids: noopPids,
            }),
          ),
          await runLoad(
            loadRun(
              context,
              modelInferLabels.batched(c),
              'service',
              target(BATCHED_MODEL, address),
              closed(c),
              {
                rowsPerCall: 1,
                serverPids,
              },
            ),
          ),
          await runLoad(
            loadRun(
              context,
              modelInferLabels.unbatched(c),
              'service',
              target(UNBATCHED_MODEL, address),
              closed(c),
              {
                rowsPerCall: 1,
                serverPids,
              },
            ),
          ),
        );
      }
      const find = (label: string) => output.measurements.find((m) => m.label === label);
      const rate = comparisonRate(find(modelInferLabels.noop(64)), find(modelInferLabels.batched(64)));
      context.log(`model-infer: open loop at ${rate}/s`);
      output.measurements.push(
        await runLoad(
          loadRun(context, modelInferLabels.noopOpen, 'baseline', target('noop', noop.address), open(rate), {
            rowsPerCall: 1,
            serverPids: noopPids,
          }),
        ),
        await runLoad(
          loadRun(
            context,
            modelInferLabels.batchedOpen,
            'service',
            target(BATCHED_MODEL, address),
            open(rate),
            {
              rowsPerCall: 1,
              serverPids,
            },
          ),
        ),
      );
    } finally {
      await stopAll([noop, server]);
    }
    context.log('model-infer: raw ONNX Runtime');
    output.measurements.push(
      ...(await runRawOrt({
        modelPath: model.path,
        inputName: model.inputName,
        width: model.width,
        batchSizes: [...CONCURRENCIES],
        warmupMs: context.profile.warmupMs,
        durationMs: context.profile.durationMs,
      })),
    );
  },
};
