import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '@tally/testkit';
import { ExplanationFileError } from './explanation-file-error';
import { TreeShap } from './tree-shap';
import { parseXgboostTrees, readXgboostTrees } from './xgboost-trees';

const XGBOOST_JSON = path.join(repoRoot(), 'models/credit_risk/1/xgboost.json');

function jsonl<T>(file: string): T[] {
  return fs
    .readFileSync(path.join(repoRoot(), file), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as T);
}

const rows = jsonl<{ applicant_id: number; vector: number[] }>('training/reference/credit_risk.jsonl');
const contribs = jsonl<{ applicant_id: number; contributions: number[]; bias: number; margin: number }>(
  'training/reference/credit_risk_contribs.jsonl',
);

describe('TreeSHAP on the shipped credit_risk trees (xgboost.json) vs xgboost pred_contribs', () => {
  const shap = new TreeShap(readXgboostTrees(XGBOOST_JSON, 29));

  it('reproduces pred_contribs, the bias and the margin of every reference row to 1e-4', () => {
    expect(contribs.map((c) => c.applicant_id)).toEqual(rows.map((r) => r.applicant_id));
    const x = Float32Array.from(rows.flatMap((r) => r.vector));
    const phi = new Float64Array(rows.length * 29);
    const margins = shap.explain(x, rows.length, phi);
    let worst = 0;
    rows.forEach((_, i) => {
      const expected = contribs[i]!;
      let sum = shap.bias;
      for (let c = 0; c < 29; c += 1) {
        worst = Math.max(worst, Math.abs(phi[i * 29 + c]! - expected.contributions[c]!));
        sum += phi[i * 29 + c]!;
      }
      expect(Math.abs(sum - margins[i]!)).toBeLessThan(1e-9);
      expect(Math.abs(margins[i]! - expected.margin)).toBeLessThan(1e-4);
    });
    expect(Math.abs(shap.bias - contribs[0]!.bias)).toBeLessThan(1e-4);
    expect(worst).toBeLessThan(1e-4);
  });

  it('gives a column that no tree reads exactly zero, and the same answer row by row as batched', () => {
    // No tree splits on acc_now_delinq (12) or delinq_amnt (20).
    const x = Float32Array.from(rows.flatMap((r) => r.vector));
    const phi = new Float64Array(rows.length * 29);
    shap.explain(x, rows.length, phi);
    rows.forEach((_, i) => {
      expect(phi[i * 29 + 12]).toBe(0);
      expect(phi[i * 29 + 20]).toBe(0);
    });
    const fresh = new TreeShap(readXgboostTrees(XGBOOST_JSON, 29));
    const single = new Float64Array(29);
    fresh.explain(x.subarray(29, 58), 1, single);
    single.forEach((v, c) => expect(Math.abs(v - phi[29 + c]!)).toBeLessThan(1e-12));
  });
});

describe('reading xgboost JSON models', () => {
  const document = JSON.parse(fs.readFileSync(XGBOOST_JSON, 'utf8')) as {
    learner: {
      objective: { name: string };
      gradient_booster: { model: { trees: Array<Record<string, number[]>> } };
    };
  };

  it('refuses a model of another width, naming the file and field', () => {
    expect(() => parseXgboostTrees('m/1/xgboost.json', document, 30)).toThrow(
      'm/1/xgboost.json: learner.learner_model_param.num_feature: 29 columns, but the model takes 30',
    );
  });

  it('refuses another objective and a split on a column outside the model', () => {
    const other = structuredClone(document);
    other.learner.objective.name = 'reg:squarederror';
    expect(() => parseXgboostTrees('f', other, 29)).toThrow(ExplanationFileError);
    expect(() => parseXgboostTrees('f', other, 29)).toThrow('learner.objective.name');
    const bad = structuredClone(document);
    bad.learner.gradient_booster.model.trees[3]!.split_indices![0] = 40;
    expect(() => parseXgboostTrees('f', bad, 29)).toThrow(
      'f: learner.gradient_booster.model.trees[3].split_indices[0]: column 40 is outside the model',
    );
  });

  it('names a file that does not parse', () => {
    expect(() => readXgboostTrees(path.join(repoRoot(), 'models/credit_risk/config.yaml'), 29)).toThrow(
      /config\.yaml: \(document\): not valid JSON/,
    );
  });
});
