import { FailedPreconditionError } from '@tally/grpc-kit';
import type { model } from '@tally/contracts';
import { ExplanationFileError } from '../explain/explanation-file-error';
import { selectReasons } from '../explain/reason-map';
import type { ReasonMap } from '../explain/reason-map';
import { ATTRIBUTIONS_OUTPUT, EXPLANATION_OUTPUT } from '../inference/batch-explainer';
import type { InferOptions, InferResult, ServingModel } from '../serving/serving-model';

/**
 * Whether this Score explains its decision: asked by the request (`include_reasons`) or always by the
 * model config (`reasons.always`). Asking a model without a reason map is FAILED_PRECONDITION, named.
 */
export function reasonsWanted(serving: ServingModel, requested: boolean): boolean {
  if (serving.explainer === undefined || serving.reasonMaps === undefined) {
    if (!requested) return false;
    throw new FailedPreconditionError(
      `model ${serving.name} has no reason map, so include_reasons cannot be served: add a 'reasons:' block to its config.yaml (docs/model-repository.md)`,
    );
  }
  return requested || serving.config.reasons!.always;
}

/** The batch through the explain queue when reasons are wanted, else plain inference. */
export function scoreRows(
  serving: ServingModel,
  explain: boolean,
  rows: Float32Array,
  rowCount: number,
  options: InferOptions,
): Promise<InferResult> {
  return explain ? serving.explain(rows, rowCount, options) : serving.infer(rows, rowCount, options);
}

/** The version's reason map for these columns; a map that does not fit them is FAILED_PRECONDITION. */
export function reasonMapFor(serving: ServingModel, columns: readonly string[]): ReasonMap {
  try {
    return serving.reasonMaps!.get(columns);
  } catch (err) {
    if (err instanceof ExplanationFileError) {
      throw new FailedPreconditionError(
        `model ${serving.name}/${serving.version} cannot give reasons: ${err.message}`,
      );
    }
    throw err;
  }
}

/** ScoreResponse fields 15–16 for row `row` of an explained result. */
export function reasonFields(
  serving: ServingModel,
  map: ReasonMap,
  result: InferResult,
  row: number,
  statuses: readonly string[],
  includeContributions: boolean,
): Pick<model.ScoreResponse, 'reasons' | 'explanation'> {
  const attributions = result.outputs.find((o) => o.name === ATTRIBUTIONS_OUTPUT);
  const explanation = result.outputs.find((o) => o.name === EXPLANATION_OUTPUT);
  if (attributions === undefined || explanation === undefined) {
    throw new Error(`model ${serving.name}/${result.version} returned no attributions`);
  }
  const width = attributions.dims[1] ?? 0;
  const data = attributions.data as Float64Array;
  const spec = serving.explainer!;
  return {
    reasons: selectReasons(map, data, row * width, statuses),
    explanation: {
      method: spec.method,
      space: spec.space,
      value: Number(explanation.data[2 * row]),
      baseValue: Number(explanation.data[2 * row + 1]),
      contributions: includeContributions ? Array.from(data.subarray(row * width, (row + 1) * width)) : [],
    },
  };
}
