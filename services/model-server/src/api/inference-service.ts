import { InvalidArgumentError, UnavailableError } from '@tally/grpc-kit';
import type { UnaryHandlers } from '@tally/grpc-kit';
import type { inference } from '@tally/contracts';
import type { OutputTensor } from '../inference/worker-protocol';
import type { ModelRegistry } from '../serving/model-registry';
import { readInferParameters } from './request-parameters';
import { decodeInput, encodeRaw, encodeTyped, OIP_DATATYPE } from './tensor-codec';

export interface InferenceServiceOptions {
  registry: ModelRegistry;
  serverName: string;
  serverVersion: string;
  /** False while the server is starting or stopping. */
  isStarted: () => boolean;
}

function shapeOf(shape: ReadonlyArray<number | string>): number[] {
  return shape.map((d) => (typeof d === 'number' && d >= 0 ? d : -1));
}

/** Open Inference Protocol v2 (inference.GRPCInferenceService) over the model registry. */
export function inferenceHandlers(
  options: InferenceServiceOptions,
): UnaryHandlers<inference.GRPCInferenceServiceDefinition> {
  const { registry } = options;
  return {
    ServerLive: () => ({ live: true }),
    ServerReady: () => ({ ready: options.isStarted() && registry.serverReady() }),
    ModelReady: (req) => {
      if (req.name === '') throw new InvalidArgumentError('name', 'required');
      registry.readyVersions(req.name); // NOT_FOUND for an unknown model
      return { ready: registry.isReady(req.name, req.version) };
    },
    ServerMetadata: () => ({ name: options.serverName, version: options.serverVersion, extensions: [] }),
    ModelMetadata: (req) => {
      if (req.name === '') throw new InvalidArgumentError('name', 'required');
      const serving = registry.resolve(req.name, req.version);
      return {
        name: req.name,
        versions: registry.readyVersions(req.name).map(String),
        platform: serving.config.platform,
        inputs: [{ name: serving.input.name, datatype: 'FP32', shape: [-1, serving.width] }],
        outputs: serving.outputs.map((o) => ({
          name: o.name,
          datatype: OIP_DATATYPE[o.type] ?? o.type,
          shape: shapeOf(o.shape),
        })),
      };
    },
    ModelInfer: async (req, ctx) => {
      if (req.modelName === '') throw new InvalidArgumentError('model_name', 'required');
      const serving = registry.resolve(req.modelName, req.modelVersion);
      if (req.inputs.length === 0)
        throw new InvalidArgumentError('inputs', 'at least one input tensor is required');
      const raw = req.rawInputContents.length > 0;
      if (raw && req.rawInputContents.length !== req.inputs.length) {
        throw new InvalidArgumentError(
          'raw_input_contents',
          `${req.rawInputContents.length} entries for ${req.inputs.length} inputs; send one per input, in order`,
        );
      }
      for (const [i, t] of req.inputs.entries()) {
        if (t.name !== serving.input.name) {
          throw new InvalidArgumentError(
            `inputs[${i}].name`,
            `'${t.name}' is not an input of model ${serving.name}; its input is '${serving.input.name}'`,
          );
        }
        if (raw && t.contents && hasContents(t.contents)) {
          throw new InvalidArgumentError(
            `inputs['${t.name}'].contents`,
            'must be empty when raw_input_contents is used',
          );
        }
      }
      if (req.inputs.length > 1) {
        throw new InvalidArgumentError(`inputs['${serving.input.name}']`, 'sent more than once');
      }
      const requested = req.outputs.map((o, i) => {
        if (!serving.outputs.some((s) => s.name === o.name)) {
          throw new InvalidArgumentError(
            `outputs[${i}].name`,
            `'${o.name}' is not an output of model ${serving.name} (outputs: ${serving.outputs.map((s) => s.name).join(', ')})`,
          );
        }
        return o.name;
      });
      const params = readInferParameters(req.parameters);
      const input = decodeInput(
        req.inputs[0]!,
        raw ? req.rawInputContents[0] : undefined,
        serving.width,
        serving.config.batching.maxBatchSize,
      );
      const result = await serving.infer(input.data, input.rows, {
        priority: params.priority,
        queueTimeoutUs: params.queueTimeoutUs,
        deadline: ctx.deadline,
        signal: ctx.signal,
      });
      const outputs: OutputTensor[] =
        requested.length === 0
          ? result.outputs
          : requested.map((name) => {
              const found = result.outputs.find((o) => o.name === name);
              if (!found)
                throw new UnavailableError(`model ${serving.name}`, `output '${name}' was not computed`);
              return found;
            });
      const response: inference.ModelInferResponse = {
        modelName: serving.name,
        modelVersion: String(result.version),
        id: req.id,
      };
      if (raw) {
        const encoded = outputs.map(encodeRaw);
        response.outputs = encoded.map((e) => e.tensor);
        response.rawOutputContents = encoded.map((e) => e.raw);
      } else {
        response.outputs = outputs.map(encodeTyped);
      }
      return response;
    },
  };
}

function hasContents(c: inference.InferTensorContents__Output): boolean {
  return (
    c.boolContents.length +
      c.intContents.length +
      c.int64Contents.length +
      c.uintContents.length +
      c.uint64Contents.length +
      c.fp32Contents.length +
      c.fp64Contents.length +
      c.bytesContents.length >
    0
  );
}
