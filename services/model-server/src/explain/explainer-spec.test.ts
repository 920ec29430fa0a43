import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseModelConfig } from '../repository/model-config';
import { checkExplainer, locateExplainer } from './explainer-spec';
import { ExplanationFileError } from './explanation-file-error';
import { ReasonMapCache } from './reason-map-cache';

const REASONS = {
  codes: [
    { code: 'A', features: ['amount'], text: 'Amount' },
    { code: 'B', features: ['term', 'grade'], text: 'Term or grade' },
  ],
};

describe('which explainer a version has', () => {
  let dir: string;
  let modelFile: string;
  const config = (reasons: unknown = REASONS) =>
    parseModelConfig('m', 'm/config.yaml', {
      feature_set: 'credit_risk',
      input: 'features',
      score_output: 'probabilities',
      score_index: 1,
      ...(reasons === undefined ? {} : { reasons }),
    });

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-explainer-'));
    fs.mkdirSync(path.join(dir, 'm', '1'), { recursive: true });
    modelFile = path.join(dir, 'm', '1', 'model.onnx');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const writeBaseline = (document: unknown) =>
    fs.writeFileSync(path.join(dir, 'm', '1', 'baseline.json'), JSON.stringify(document));

  it('has none without reasons in the config, whatever files are there', () => {
    writeBaseline({ values: [1, 2, 3] });
    expect(locateExplainer(config(null), modelFile)).toBeUndefined();
  });

  it('refuses a version with reasons but neither xgboost.json nor baseline.json, naming its folder', () => {
    expect(() => locateExplainer(config(), modelFile)).toThrow(
      `${path.join(dir, 'm', '1')}: (files): the model config has reasons, but this version has neither xgboost.json (TreeSHAP) nor baseline.json (sampling Shapley)`,
    );
  });

  it('takes TreeSHAP when xgboost.json is there', () => {
    writeBaseline({ values: [1, 2, 3] });
    fs.writeFileSync(path.join(dir, 'm', '1', 'xgboost.json'), '{}');
    expect(locateExplainer(config(), modelFile)).toMatchObject({ method: 'tree_shap', space: 'margin' });
  });

  it('reads baseline.json for sampling Shapley and checks it against the model', () => {
    writeBaseline({ values: [1, 2, 3], columns: ['amount', 'term', 'grade'] });
    const spec = locateExplainer(config({ ...REASONS, permutations: 8, seed: 5 }), modelFile)!;
    expect(spec).toMatchObject({ method: 'sampling_shapley', baseline: [1, 2, 3], permutations: 8, seed: 5 });
    expect(() => checkExplainer(spec, 3, ['amount', 'term', 'grade'])).not.toThrow();
    expect(() => checkExplainer(spec, 4, undefined)).toThrow(
      `${spec.file}: values: 3 values, but the model takes 4 columns`,
    );
    expect(() => checkExplainer(spec, 3, ['amount', 'grade', 'term'])).toThrow(
      `${spec.file}: columns[1]: 'term' but column 1 of the feature set is 'grade'`,
    );
  });

  it.each<[string, unknown, string]>([
    ['no values', { columns: [] }, 'values: expected a non-empty list of numbers'],
    ['a value that is not a number', { values: [1, 'x'] }, 'values[1]: expected a finite number, got "x"'],
    ['columns of another length', { values: [1, 2], columns: ['a'] }, 'columns: expected 2 column names'],
  ])('refuses a baseline.json with %s, naming the field', (_, document, message) => {
    writeBaseline(document);
    expect(() => locateExplainer(config(), modelFile)).toThrow(ExplanationFileError);
    expect(() => locateExplainer(config(), modelFile)).toThrow(
      `${path.join(dir, 'm', '1', 'baseline.json')}: ${message}`,
    );
  });

  it('compiles the reason map per columns, naming config.yaml when it does not fit them', () => {
    const cache = new ReasonMapCache(config(), modelFile);
    expect(cache.file).toBe(path.join(dir, 'm', 'config.yaml'));
    const map = cache.get(['amount', 'term', 'grade']);
    expect(cache.get(['amount', 'term', 'grade'])).toBe(map);
    expect(map.groups.map((g) => g.indices)).toEqual([[0], [1, 2]]);
    expect(() => cache.get(['amount', 'term'])).toThrow(
      `${cache.file}: reasons.codes[1].features[1]: unknown feature 'grade'`,
    );
  });
});
