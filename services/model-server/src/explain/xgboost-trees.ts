import fs from 'node:fs';
import { ExplanationFileError } from './explanation-file-error';

/** One regression tree of an xgboost model, as flat arrays indexed by node id (0 = root). */
export interface Tree {
  /** Child ids; -1 on both for a leaf. */
  left: Int32Array;
  right: Int32Array;
  /** Column the node splits on (internal nodes). */
  feature: Int32Array;
  /** float32 split condition: go left when value < threshold. */
  threshold: Float64Array;
  /** Where a missing (NaN) value goes. */
  defaultLeft: Uint8Array;
  /** Leaf value (leaves), already scaled by the learning rate. */
  value: Float64Array;
  /** Cover: the sum of hessians of the training rows that reached the node. */
  cover: Float64Array;
  /** Longest root-to-leaf path, in edges. */
  depth: number;
}

/** A binary:logistic gbtree model read from xgboost's JSON model format. */
export interface TreeEnsemble {
  trees: Tree[];
  /** Columns the model reads. */
  width: number;
  /** The base margin (logit of base_score) added to every row's sum of leaves. */
  baseMargin: number;
}

type Json = Record<string, unknown>;

const TREE_FIELDS = [
  'left_children',
  'right_children',
  'split_indices',
  'split_conditions',
  'default_left',
  'sum_hessian',
] as const;

/**
 * Reads and checks xgboost's JSON model (against the model's width when given) (`booster.save_model("….json")`, format version 1.x): a
 * `gbtree` booster with the `binary:logistic` objective and numerical splits. Every problem names the
 * file and the field, e.g. `…/xgboost.json: learner.gradient_booster.model.trees[3].split_indices[5]: …`.
 */
export function readXgboostTrees(file: string, width?: number): TreeEnsemble {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new ExplanationFileError(
      file,
      '(file)',
      `cannot read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`,
    );
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (err) {
    throw new ExplanationFileError(file, '(document)', `not valid JSON: ${(err as Error).message}`);
  }
  return parseXgboostTrees(file, document, width);
}

export function parseXgboostTrees(file: string, document: unknown, expectedWidth?: number): TreeEnsemble {
  const fail = (field: string, problem: string): never => {
    throw new ExplanationFileError(file, field, problem);
  };
  const object = (value: unknown, field: string): Json => {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      fail(field, 'expected an object');
    return value as Json;
  };
  const learner = object(object(document, '(document)').learner, 'learner');
  const objective = object(learner.objective, 'learner.objective').name;
  if (objective !== 'binary:logistic') {
    fail('learner.objective.name', `expected binary:logistic, got ${JSON.stringify(objective)}`);
  }
  const params = object(learner.learner_model_param, 'learner.learner_model_param');
  const numFeature = Number(params.num_feature);
  const width = expectedWidth ?? numFeature;
  if (!Number.isInteger(numFeature) || numFeature < 1 || numFeature !== width) {
    fail(
      'learner.learner_model_param.num_feature',
      `${String(params.num_feature)} columns, but the model takes ${width}`,
    );
  }
  const baseScore = Number(params.base_score);
  if (!(baseScore > 0 && baseScore < 1)) {
    fail(
      'learner.learner_model_param.base_score',
      `expected a probability in (0, 1), got ${String(params.base_score)}`,
    );
  }
  const booster = object(learner.gradient_booster, 'learner.gradient_booster');
  if (booster.name !== 'gbtree') {
    fail('learner.gradient_booster.name', `expected gbtree, got ${JSON.stringify(booster.name)}`);
  }
  const rawTrees = object(booster.model, 'learner.gradient_booster.model').trees;
  if (!Array.isArray(rawTrees) || rawTrees.length === 0) {
    fail('learner.gradient_booster.model.trees', 'expected a non-empty list of trees');
  }
  const trees = (rawTrees as unknown[]).map((raw, t) =>
    parseTree(
      object(raw, `learner.gradient_booster.model.trees[${t}]`),
      `learner.gradient_booster.model.trees[${t}]`,
      width,
      fail,
    ),
  );
  const base = Math.fround(baseScore);
  return { trees, width, baseMargin: Math.log(base / (1 - base)) };
}

function parseTree(
  raw: Json,
  path: string,
  width: number,
  fail: (field: string, problem: string) => never,
): Tree {
  const lists: Record<string, number[]> = {};
  for (const name of TREE_FIELDS) {
    const list = raw[name];
    if (!Array.isArray(list) || list.length === 0) fail(`${path}.${name}`, 'expected a non-empty list');
    (list as unknown[]).forEach((v, i) => {
      if (typeof v !== 'number' && typeof v !== 'boolean')
        fail(`${path}.${name}[${i}]`, `expected a number, got ${JSON.stringify(v)}`);
    });
    lists[name] = (list as Array<number | boolean>).map(Number);
  }
  const n = lists.left_children!.length;
  for (const name of TREE_FIELDS) {
    if (lists[name]!.length !== n)
      fail(`${path}.${name}`, `has ${lists[name]!.length} entries; left_children has ${n}`);
  }
  if (Array.isArray(raw.split_type) && raw.split_type.some((s) => s !== 0)) {
    fail(`${path}.split_type`, 'categorical splits are not supported');
  }
  const tree: Tree = {
    left: Int32Array.from(lists.left_children!),
    right: Int32Array.from(lists.right_children!),
    feature: Int32Array.from(lists.split_indices!),
    threshold: Float64Array.from(lists.split_conditions!, (v) => Math.fround(v)),
    defaultLeft: Uint8Array.from(lists.default_left!),
    value: Float64Array.from(lists.split_conditions!, (v) => Math.fround(v)),
    cover: Float64Array.from(lists.sum_hessian!),
    depth: 0,
  };
  for (let node = 0; node < n; node += 1) {
    const l = tree.left[node]!;
    const r = tree.right[node]!;
    if (l === -1 && r === -1) continue;
    for (const [side, child] of [
      ['left_children', l],
      ['right_children', r],
    ] as const) {
      if (!Number.isInteger(child) || child <= node || child >= n) {
        fail(
          `${path}.${side}[${node}]`,
          `child ${child} is not a node after ${node} in a tree of ${n} nodes`,
        );
      }
    }
    const f = tree.feature[node]!;
    if (f < 0 || f >= width)
      fail(`${path}.split_indices[${node}]`, `column ${f} is outside the model's ${width} columns`);
    if (!(tree.cover[node]! > 0))
      fail(
        `${path}.sum_hessian[${node}]`,
        `an internal node needs a positive cover, got ${tree.cover[node]}`,
      );
  }
  tree.depth = depthOf(tree, 0, n);
  return tree;
}

function depthOf(tree: Tree, node: number, guard: number): number {
  if (guard < 0) throw new Error('tree is not a tree (cycle)');
  if (tree.left[node] === -1) return 0;
  return (
    1 + Math.max(depthOf(tree, tree.left[node]!, guard - 1), depthOf(tree, tree.right[node]!, guard - 1))
  );
}
