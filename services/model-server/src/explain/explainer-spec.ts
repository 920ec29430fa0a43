import fs from 'node:fs';
import path from 'node:path';
import type { ModelConfig } from '../repository/model-config';
import { ExplanationFileError } from './explanation-file-error';
import { readXgboostTrees } from './xgboost-trees';

/** The native xgboost model beside a trees version's model.onnx: explained by TreeSHAP. */
export const XGBOOST_FILE_NAME = 'xgboost.json';
/** The baseline vector of any other version: explained by sampling Shapley. */
export const BASELINE_FILE_NAME = 'baseline.json';

/** How one version's scores are attributed to its columns; passed to each inference worker. */
export type ExplainerSpec =
  | { method: 'tree_shap'; space: 'margin'; file: string }
  | {
      method: 'sampling_shapley';
      space: 'score';
      file: string;
      baseline: number[];
      /** Columns named by the baseline file, when it names them. */
      columns: string[] | undefined;
      permutations: number;
      seed: number;
      scoreOutput: string;
      scoreIndex: number;
    };

/**
 * Which explainer a version has: none when its config has no `reasons:`; otherwise TreeSHAP when the
 * version folder holds xgboost.json, else sampling Shapley against its baseline.json. A config with
 * reasons and a version with neither file is refused, naming the folder.
 */
export function locateExplainer(config: ModelConfig, modelFile: string): ExplainerSpec | undefined {
  const reasons = config.reasons;
  if (reasons === undefined) return undefined;
  const dir = path.dirname(modelFile);
  const trees = path.join(dir, XGBOOST_FILE_NAME);
  if (fs.existsSync(trees)) return { method: 'tree_shap', space: 'margin', file: trees };
  const file = path.join(dir, BASELINE_FILE_NAME);
  if (!fs.existsSync(file)) {
    throw new ExplanationFileError(
      dir,
      '(files)',
      `the model config has reasons, but this version has neither ${XGBOOST_FILE_NAME} (TreeSHAP) nor ${BASELINE_FILE_NAME} (sampling Shapley); see docs/explanations.md`,
    );
  }
  const { baseline, columns } = readBaseline(file);
  return {
    method: 'sampling_shapley',
    space: 'score',
    file,
    baseline,
    columns,
    permutations: reasons.permutations,
    seed: reasons.seed,
    scoreOutput: config.scoreOutput,
    scoreIndex: config.scoreIndex,
  };
}

/** Reads baseline.json: `{"values": [numbers], "columns": [names]?, "description": "…"?}`. */
export function readBaseline(file: string): { baseline: number[]; columns: string[] | undefined } {
  let document: unknown;
  try {
    document = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ExplanationFileError(file, '(document)', `not readable JSON: ${(err as Error).message}`);
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new ExplanationFileError(file, '(document)', 'expected an object');
  }
  const { values, columns } = document as { values?: unknown; columns?: unknown };
  if (!Array.isArray(values) || values.length === 0) {
    throw new ExplanationFileError(file, 'values', 'expected a non-empty list of numbers');
  }
  values.forEach((v, i) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new ExplanationFileError(
        file,
        `values[${i}]`,
        `expected a finite number, got ${JSON.stringify(v)}`,
      );
    }
  });
  if (columns !== undefined) {
    if (
      !Array.isArray(columns) ||
      columns.some((c) => typeof c !== 'string') ||
      columns.length !== values.length
    ) {
      throw new ExplanationFileError(
        file,
        'columns',
        `expected ${values.length} column names, one per value`,
      );
    }
  }
  return { baseline: values as number[], columns: columns as string[] | undefined };
}

/**
 * Checks the explainer against the loaded model: the trees' width (and structure), or the baseline's
 * length and column names. Throws ExplanationFileError naming the file and field.
 */
export function checkExplainer(
  spec: ExplainerSpec,
  width: number,
  featureColumns: readonly string[] | undefined,
): void {
  if (spec.method === 'tree_shap') {
    readXgboostTrees(spec.file, width);
    return;
  }
  if (spec.baseline.length !== width) {
    throw new ExplanationFileError(
      spec.file,
      'values',
      `${spec.baseline.length} values, but the model takes ${width} columns`,
    );
  }
  if (spec.columns !== undefined && featureColumns !== undefined) {
    const at = spec.columns.findIndex((c, i) => c !== featureColumns[i]);
    if (at !== -1) {
      throw new ExplanationFileError(
        spec.file,
        `columns[${at}]`,
        `'${spec.columns[at]}' but column ${at} of the feature set is '${featureColumns[at]}'`,
      );
    }
  }
}
