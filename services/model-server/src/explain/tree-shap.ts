import type { Tree, TreeEnsemble } from './xgboost-trees';

/**
 * Exact path-dependent TreeSHAP (Lundberg, Erion & Lee 2018, "Consistent Individualized Feature
 * Attribution for Tree Ensembles", Algorithm 2), in the model's margin (log-odds) space. For each row,
 * `phi[c]` is column c's Shapley value of the margin under the trees' own conditional expectations
 * (each node's cover weighs its children), and `sum(phi) + bias = margin` exactly.
 *
 * The recursion keeps one path of unique features per depth in flat typed arrays reused for every row
 * and tree. A row enters a tree's attributions only through the direction it takes at each internal
 * node, so each tree memoises its result per pattern of directions (a bit mask; a depth-3 tree has at
 * most 128): a repeated pattern costs the comparisons and a few additions instead of the recursion.
 */
export class TreeShap {
  readonly width: number;
  /** E[margin] over the training distribution seen by the trees: base margin + each tree's cover-weighted mean. */
  readonly bias: number;
  readonly #ensemble: TreeEnsemble;
  // The path elements of every recursion level, level after level (see #recurse).
  readonly #feature: Int32Array;
  readonly #zero: Float64Array;
  readonly #one: Float64Array;
  readonly #weight: Float64Array;
  /** Per tree: direction mask → the columns it touches and their attributions. */
  readonly #memo: Array<Map<number, { columns: Int32Array; values: Float64Array }>>;
  /** Per tree: its internal nodes (the bits of the mask), or undefined when there are too many to memoise. */
  readonly #internal: Array<Int32Array | undefined>;
  readonly #scratch: Float64Array;
  #x: Float32Array = new Float32Array(0);
  #xOffset = 0;
  #phi: Float64Array = new Float64Array(0);
  #phiOffset = 0;

  constructor(ensemble: TreeEnsemble) {
    this.#ensemble = ensemble;
    this.width = ensemble.width;
    let bias = ensemble.baseMargin;
    let maxDepth = 0;
    for (const tree of ensemble.trees) {
      bias += meanValue(tree, 0);
      maxDepth = Math.max(maxDepth, tree.depth);
    }
    this.bias = bias;
    const levels = maxDepth + 3;
    const size = (levels * (levels + 1)) / 2 + levels;
    this.#feature = new Int32Array(size);
    this.#zero = new Float64Array(size);
    this.#one = new Float64Array(size);
    this.#weight = new Float64Array(size);
    this.#memo = ensemble.trees.map(() => new Map());
    this.#internal = ensemble.trees.map((tree) => {
      const nodes: number[] = [];
      tree.left.forEach((l, node) => {
        if (l !== -1) nodes.push(node);
      });
      return nodes.length <= MEMO_MAX_INTERNAL_NODES ? Int32Array.from(nodes) : undefined;
    });
    this.#scratch = new Float64Array(this.width);
  }

  /**
   * Attributions of `rows` rows of `x` (row-major, `width` columns) into `phi` (rows × width, zeroed
   * here); returns each row's margin (sum of leaves + base margin).
   */
  explain(x: Float32Array, rows: number, phi: Float64Array): Float64Array {
    const width = this.width;
    phi.fill(0, 0, rows * width);
    const margins = new Float64Array(rows);
    for (let r = 0; r < rows; r += 1) {
      this.#x = x;
      this.#xOffset = r * width;
      let margin = this.#ensemble.baseMargin;
      const trees = this.#ensemble.trees;
      for (let t = 0; t < trees.length; t += 1) {
        const tree = trees[t]!;
        this.#treeAttributions(t, tree, x, r * width, phi, r * width);
        margin += leafOf(tree, x, r * width);
      }
      margins[r] = margin;
    }
    return margins;
  }

  /** One tree's attributions of one row, added to phi: memoised by the row's directions in the tree. */
  #treeAttributions(
    t: number,
    tree: Tree,
    x: Float32Array,
    xOffset: number,
    phi: Float64Array,
    phiOffset: number,
  ): void {
    const internal = this.#internal[t];
    if (internal === undefined) {
      this.#phi = phi;
      this.#phiOffset = phiOffset;
      this.#recurse(tree, 0, 0, 0, 1, 1, -1);
      return;
    }
    let mask = 0;
    for (let i = 0; i < internal.length; i += 1) {
      const node = internal[i]!;
      const v = x[xOffset + tree.feature[node]!]!;
      const goLeft = Number.isNaN(v) ? tree.defaultLeft[node] === 1 : v < tree.threshold[node]!;
      if (goLeft) mask |= 1 << i;
    }
    const memo = this.#memo[t]!;
    let entry = memo.get(mask);
    if (entry === undefined) {
      const scratch = this.#scratch;
      scratch.fill(0);
      this.#phi = scratch;
      this.#phiOffset = 0;
      this.#recurse(tree, 0, 0, 0, 1, 1, -1);
      const columns: number[] = [];
      scratch.forEach((value, c) => {
        if (value !== 0) columns.push(c);
      });
      entry = { columns: Int32Array.from(columns), values: Float64Array.from(columns, (c) => scratch[c]!) };
      memo.set(mask, entry);
    }
    const { columns, values } = entry;
    for (let i = 0; i < columns.length; i += 1) phi[phiOffset + columns[i]!]! += values[i]!;
  }

  /**
   * One node of Algorithm 2 with `depth` unique features on its path. Each call's path lives in its own
   * segment of the flat arrays, right after its parent's ([start, start + depth], start = parent's start
   * + depth + 1), so a return leaves the parent's path as it was.
   */
  #recurse(
    tree: Tree,
    node: number,
    parentStart: number,
    pathDepth: number,
    zeroFraction: number,
    oneFraction: number,
    featureIndex: number,
  ): void {
    let depth = pathDepth;
    const start = parentStart + depth + 1;
    // (A plain loop: typed-array copyWithin costs a builtin call each, and paths are a few elements.)
    const feature = this.#feature;
    const zero = this.#zero;
    const one = this.#one;
    const weight = this.#weight;
    for (let i = 0; i <= depth; i += 1) {
      feature[start + i] = feature[parentStart + i]!;
      zero[start + i] = zero[parentStart + i]!;
      one[start + i] = one[parentStart + i]!;
      weight[start + i] = weight[parentStart + i]!;
    }
    this.#extend(start, depth, zeroFraction, oneFraction, featureIndex);

    const left = tree.left[node]!;
    if (left === -1) {
      const value = tree.value[node]!;
      for (let i = 1; i <= depth; i += 1) {
        const w = this.#unwoundSum(start, depth, i);
        const p = start + i;
        this.#phi[this.#phiOffset + this.#feature[p]!]! += w * (this.#one[p]! - this.#zero[p]!) * value;
      }
      return;
    }
    const split = tree.feature[node]!;
    const v = this.#x[this.#xOffset + split]!;
    const goLeft = Number.isNaN(v) ? tree.defaultLeft[node] === 1 : v < tree.threshold[node]!;
    const right = tree.right[node]!;
    const hot = goLeft ? left : right;
    const cold = goLeft ? right : left;
    const cover = tree.cover[node]!;
    let incomingZero = 1;
    let incomingOne = 1;
    // A feature already on the path: undo its earlier split, then redo it here.
    let k = 1;
    while (k <= depth && this.#feature[start + k] !== split) k += 1;
    if (k <= depth) {
      incomingZero = this.#zero[start + k]!;
      incomingOne = this.#one[start + k]!;
      this.#unwind(start, depth, k);
      depth -= 1;
    }
    this.#recurse(tree, hot, start, depth + 1, (tree.cover[hot]! / cover) * incomingZero, incomingOne, split);
    this.#recurse(tree, cold, start, depth + 1, (tree.cover[cold]! / cover) * incomingZero, 0, split);
  }

  /** Adds a feature to the path at `start` holding `depth` elements, updating the permutation weights. */
  #extend(start: number, depth: number, zero: number, one: number, feature: number): void {
    const w = this.#weight;
    this.#feature[start + depth] = feature;
    this.#zero[start + depth] = zero;
    this.#one[start + depth] = one;
    w[start + depth] = depth === 0 ? 1 : 0;
    for (let i = depth - 1; i >= 0; i -= 1) {
      w[start + i + 1]! += (one * w[start + i]! * (i + 1)) / (depth + 1);
      w[start + i] = (zero * w[start + i]! * (depth - i)) / (depth + 1);
    }
  }

  /** Removes element `index` from the path (the inverse of #extend). */
  #unwind(start: number, depth: number, index: number): void {
    const w = this.#weight;
    const one = this.#one[start + index]!;
    const zero = this.#zero[start + index]!;
    let next = w[start + depth]!;
    for (let i = depth - 1; i >= 0; i -= 1) {
      if (one !== 0) {
        const tmp = w[start + i]!;
        w[start + i] = (next * (depth + 1)) / ((i + 1) * one);
        next = tmp - (w[start + i]! * zero * (depth - i)) / (depth + 1);
      } else {
        w[start + i] = (w[start + i]! * (depth + 1)) / (zero * (depth - i));
      }
    }
    for (let i = index; i < depth; i += 1) {
      this.#feature[start + i] = this.#feature[start + i + 1]!;
      this.#zero[start + i] = this.#zero[start + i + 1]!;
      this.#one[start + i] = this.#one[start + i + 1]!;
    }
  }

  /** The total permutation weight of the path if element `index` were unwound (without changing it). */
  #unwoundSum(start: number, depth: number, index: number): number {
    const w = this.#weight;
    const one = this.#one[start + index]!;
    const zero = this.#zero[start + index]!;
    let next = w[start + depth]!;
    let total = 0;
    for (let i = depth - 1; i >= 0; i -= 1) {
      if (one !== 0) {
        const tmp = (next * (depth + 1)) / ((i + 1) * one);
        total += tmp;
        next = w[start + i]! - (tmp * zero * (depth - i)) / (depth + 1);
      } else {
        total += w[start + i]! / zero / ((depth - i) / (depth + 1));
      }
    }
    return total;
  }
}

/** Trees with more internal nodes than this are not memoised (a mask must fit in 31 bits). */
const MEMO_MAX_INTERNAL_NODES = 20;

/** The tree's expected output: leaves weighted by cover, bottom up. */
function meanValue(tree: Tree, node: number): number {
  const left = tree.left[node]!;
  if (left === -1) return tree.value[node]!;
  const right = tree.right[node]!;
  return (
    (meanValue(tree, left) * tree.cover[left]! + meanValue(tree, right) * tree.cover[right]!) /
    tree.cover[node]!
  );
}

/** The leaf value a row reaches. */
function leafOf(tree: Tree, x: Float32Array, offset: number): number {
  let node = 0;
  while (tree.left[node] !== -1) {
    const v = x[offset + tree.feature[node]!]!;
    const goLeft = Number.isNaN(v) ? tree.defaultLeft[node] === 1 : v < tree.threshold[node]!;
    node = goLeft ? tree.left[node]! : tree.right[node]!;
  }
  return tree.value[node]!;
}
