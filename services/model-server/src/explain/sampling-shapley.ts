/**
 * Shapley values estimated by sampling permutations (Štrumbelj & Kononenko 2014) against one baseline
 * vector, in the model's score space. For each permutation π of the columns, the row is built from the
 * baseline one column at a time in π's order, and column π_k gets f(z_k) − f(z_{k−1}). Per permutation
 * the differences telescope to f(x) − f(baseline), so the attributions (their mean over permutations)
 * sum to exactly that, whatever the number of permutations. Permutations come in antithetic pairs
 * (π and its reverse), which lowers the variance, and are drawn once from the seed: the same row always
 * gets the same attributions.
 */

/** Scores of `rows` rows of `input` ([rows, width] float32). */
export type Evaluate = (input: Float32Array, rows: number) => Promise<Float64Array>;

/** mulberry32: a small seeded generator (the permutations only need to be fixed and well spread). */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` permutations of 0..width-1 (count even: each drawn one followed by its reverse). */
export function seededPermutations(width: number, count: number, seed: number): Int32Array[] {
  const random = generator(seed);
  const permutations: Int32Array[] = [];
  while (permutations.length < count) {
    const p = Int32Array.from({ length: width }, (_, i) => i);
    for (let i = width - 1; i > 0; i -= 1) {
      const j = Math.floor(random() * (i + 1));
      const t = p[i]!;
      p[i] = p[j]!;
      p[j] = t;
    }
    permutations.push(p, p.slice().reverse());
  }
  return permutations.slice(0, count);
}

export class SamplingShapley {
  readonly width: number;
  readonly #baseline: Float32Array;
  readonly #permutations: Int32Array[];
  readonly #evaluate: Evaluate;
  #baseValue: number | undefined;

  constructor(baseline: readonly number[], permutations: number, seed: number, evaluate: Evaluate) {
    this.width = baseline.length;
    this.#baseline = Float32Array.from(baseline);
    this.#permutations = seededPermutations(this.width, permutations, seed);
    this.#evaluate = evaluate;
  }

  /** f(baseline), computed once. */
  async baseValue(): Promise<number> {
    this.#baseValue ??= (await this.#evaluate(this.#baseline.slice(), 1))[0]!;
    return this.#baseValue;
  }

  /**
   * Attributions of each of `rows` rows of `x` into `phi` (rows × width); returns f(x) per row as the
   * permutations computed it (the mean of each permutation's last step), so sum(phi) = value − base.
   */
  async explain(
    x: Float32Array,
    rows: number,
    phi: Float64Array,
  ): Promise<{ values: Float64Array; base: number }> {
    const width = this.width;
    const base = await this.baseValue();
    const count = this.#permutations.length;
    const values = new Float64Array(rows);
    const steps = new Float32Array(count * width * width);
    phi.fill(0, 0, rows * width);
    for (let r = 0; r < rows; r += 1) {
      const row = x.subarray(r * width, (r + 1) * width);
      // Row (m, k): the baseline with the first k+1 columns of permutation m taken from x.
      for (let m = 0; m < count; m += 1) {
        const p = this.#permutations[m]!;
        let at = m * width * width;
        const z = steps.subarray(at, at + width);
        z.set(this.#baseline);
        for (let k = 0; k < width; k += 1) {
          if (k > 0) steps.copyWithin(at, at - width, at);
          steps[at + p[k]!] = row[p[k]!]!;
          at += width;
        }
      }
      const f = await this.#evaluate(steps.slice(), count * width);
      let last = 0;
      for (let m = 0; m < count; m += 1) {
        const p = this.#permutations[m]!;
        let previous = base;
        for (let k = 0; k < width; k += 1) {
          const current = f[m * width + k]!;
          phi[r * width + p[k]!]! += current - previous;
          previous = current;
        }
        last += previous;
      }
      for (let c = 0; c < width; c += 1) phi[r * width + c]! /= count;
      values[r] = last / count;
    }
    return { values, base };
  }
}
