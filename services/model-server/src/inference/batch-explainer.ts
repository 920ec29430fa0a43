/**
 * The explaining half of an inference worker: attributions for the rows of an `explain` batch, computed
 * in the worker thread right after the batch's scores (TreeSHAP from the trees; sampling Shapley with
 * the worker's own ONNX Runtime session). They travel back as two extra float64 outputs, so the batcher
 * hands each request its own rows like any other output.
 */
import type * as ort from 'onnxruntime-node';
import type { ExplainerSpec } from '../explain/explainer-spec';
import { SamplingShapley } from '../explain/sampling-shapley';
import { TreeShap } from '../explain/tree-shap';
import { readXgboostTrees } from '../explain/xgboost-trees';
import type { OutputTensor } from './worker-protocol';

/** [rows, width] float64: each column's contribution. */
export const ATTRIBUTIONS_OUTPUT = 'tally.attributions';
/** [rows, 2] float64: the model's output in the explanation's space, and the base value. */
export const EXPLANATION_OUTPUT = 'tally.explanation';

export interface BatchExplainer {
  explain(input: Float32Array, rows: number, width: number): Promise<OutputTensor[]>;
}

type OrtModule = typeof ort;

/** The worker's explainer for `spec`; `session` and `ort` serve sampling Shapley's model evaluations. */
export function createBatchExplainer(
  spec: ExplainerSpec,
  runtime: OrtModule,
  session: ort.InferenceSession,
  inputName: string,
): BatchExplainer {
  if (spec.method === 'tree_shap') {
    const shap = new TreeShap(readXgboostTrees(spec.file));
    return {
      explain(input, rows, width) {
        const phi = new Float64Array(rows * width);
        const margins = shap.explain(input, rows, phi);
        const explanation = new Float64Array(rows * 2);
        for (let r = 0; r < rows; r += 1) {
          explanation[2 * r] = margins[r]!;
          explanation[2 * r + 1] = shap.bias;
        }
        return Promise.resolve(outputs(phi, explanation, rows, width));
      },
    };
  }
  const evaluate = async (rows: Float32Array, count: number): Promise<Float64Array> => {
    const width = spec.baseline.length;
    const result = await session.run({ [inputName]: new runtime.Tensor('float32', rows, [count, width]) });
    const out = result[spec.scoreOutput];
    if (out === undefined) throw new Error(`score output '${spec.scoreOutput}' missing`);
    const perRow = out.dims.slice(1).reduce((a, b) => a * b, 1);
    const data = out.data as Float32Array | Float64Array;
    const scores = new Float64Array(count);
    for (let i = 0; i < count; i += 1) scores[i] = Number(data[i * perRow + spec.scoreIndex]);
    return scores;
  };
  const sampler = new SamplingShapley(spec.baseline, spec.permutations, spec.seed, evaluate);
  return {
    async explain(input, rows, width) {
      const phi = new Float64Array(rows * width);
      const { values, base } = await sampler.explain(input, rows, phi);
      const explanation = new Float64Array(rows * 2);
      for (let r = 0; r < rows; r += 1) {
        explanation[2 * r] = values[r]!;
        explanation[2 * r + 1] = base;
      }
      return outputs(phi, explanation, rows, width);
    },
  };
}

function outputs(phi: Float64Array, explanation: Float64Array, rows: number, width: number): OutputTensor[] {
  return [
    { name: ATTRIBUTIONS_OUTPUT, type: 'float64', dims: [rows, width], data: phi },
    { name: EXPLANATION_OUTPUT, type: 'float64', dims: [rows, 2], data: explanation },
  ];
}
