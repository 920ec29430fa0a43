import { ATTRIBUTIONS_OUTPUT, EXPLANATION_OUTPUT } from '../inference/batch-explainer';
import type { OutputTensor } from '../inference/worker-protocol';
import type { ExplainerSpec } from './explainer-spec';
import { ExplanationFileError } from './explanation-file-error';

/** How far the explainer's own idea of the score may be from ONNX Runtime's at load. */
export const WARM_UP_TOLERANCE = 1e-4;

/**
 * The explainer must describe the model that is served: at load, one explained warm-up row must give
 * back the ONNX score (TreeSHAP: sigmoid of the trees' margin; sampling Shapley: the score itself), and
 * its attributions must sum to value − base. A trees file left from another training run fails here.
 */
export function checkExplainedWarmUp(
  spec: ExplainerSpec,
  scores: Float64Array,
  result: { outputs: OutputTensor[] },
): void {
  const attributions = result.outputs.find((o) => o.name === ATTRIBUTIONS_OUTPUT);
  const explanation = result.outputs.find((o) => o.name === EXPLANATION_OUTPUT);
  if (attributions === undefined || explanation === undefined) {
    throw new ExplanationFileError(spec.file, '(warm-up)', 'the inference worker returned no attributions');
  }
  const value = Number(explanation.data[0]);
  const base = Number(explanation.data[1]);
  const score = scores[0]!;
  const explained = spec.space === 'margin' ? 1 / (1 + Math.exp(-value)) : value;
  if (!(Math.abs(explained - score) <= WARM_UP_TOLERANCE)) {
    throw new ExplanationFileError(
      spec.file,
      '(model)',
      `does not describe model.onnx: on an all-zero warm-up row it gives score ${explained} but ONNX Runtime ${score}`,
    );
  }
  let sum = 0;
  for (const v of attributions.data as Float64Array) sum += v;
  if (!(Math.abs(sum - (value - base)) <= WARM_UP_TOLERANCE)) {
    throw new ExplanationFileError(
      spec.file,
      '(warm-up)',
      `attributions sum to ${sum}, not value − base = ${value - base}`,
    );
  }
}
