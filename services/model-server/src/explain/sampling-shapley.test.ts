import { SamplingShapley, seededPermutations } from './sampling-shapley';

/** A small non-linear, non-additive model: sigmoid of a weighted sum plus an interaction. */
function model(width: number) {
  let calls = 0;
  const evaluate = (input: Float32Array, rows: number): Promise<Float64Array> => {
    calls += 1;
    const out = new Float64Array(rows);
    for (let r = 0; r < rows; r += 1) {
      let z = -1;
      for (let c = 0; c < width; c += 1) z += (c % 3 === 0 ? 0.5 : -0.25) * input[r * width + c]!;
      z += input[r * width]! * input[r * width + 1]!;
      out[r] = 1 / (1 + Math.exp(-z));
    }
    return Promise.resolve(out);
  };
  return { evaluate, calls: () => calls };
}

describe('sampling Shapley', () => {
  const width = 6;
  const baseline = [0, 1, 0.5, 0, 2, 0];
  const x = Float32Array.from([1, 2, 0.5, -1, 3, 0.25, /* row 2 */ 0, 0, 0, 0, 0, 0]);

  it('gives attributions that sum to f(x) − f(baseline) for any number of permutations', async () => {
    for (const permutations of [2, 8, 64]) {
      const { evaluate } = model(width);
      const shapley = new SamplingShapley(baseline, permutations, 7, evaluate);
      const phi = new Float64Array(2 * width);
      const { values, base } = await shapley.explain(x, 2, phi);
      const direct = await evaluate(x, 2);
      expect(base).toBeCloseTo((await evaluate(Float32Array.from(baseline), 1))[0]!, 12);
      for (let r = 0; r < 2; r += 1) {
        const sum = phi.subarray(r * width, (r + 1) * width).reduce((a, b) => a + b, 0);
        expect(Math.abs(sum - (direct[r]! - base))).toBeLessThan(1e-9);
        expect(values[r]).toBeCloseTo(direct[r]!, 12);
      }
      // Column 2 equals the baseline: it never changes the output.
      expect(phi[2]).toBe(0);
    }
  });

  it('is exact for an additive model, and repeatable for the same seed', async () => {
    const weights = [0.5, -1, 2, 0, 0.25, 3];
    const additive = (input: Float32Array, rows: number) =>
      Promise.resolve(
        Float64Array.from({ length: rows }, (_, r) =>
          weights.reduce((s, w, c) => s + w * input[r * width + c]!, 0),
        ),
      );
    const phi = new Float64Array(width);
    await new SamplingShapley(baseline, 4, 3, additive).explain(x.subarray(0, width), 1, phi);
    weights.forEach((w, c) => expect(phi[c]).toBeCloseTo(w * (x[c]! - baseline[c]!), 6));
    const again = new Float64Array(width);
    await new SamplingShapley(baseline, 4, 3, additive).explain(x.subarray(0, width), 1, again);
    expect(Array.from(again)).toEqual(Array.from(phi));
  });

  it('draws antithetic pairs of permutations from the seed', () => {
    const perms = seededPermutations(5, 6, 42);
    expect(perms).toHaveLength(6);
    for (let i = 0; i < 6; i += 2) {
      expect(Array.from(perms[i + 1]!)).toEqual(Array.from(perms[i]!).reverse());
      expect(Array.from(perms[i]!).sort()).toEqual([0, 1, 2, 3, 4]);
    }
    expect(seededPermutations(5, 6, 42).map((p) => Array.from(p))).toEqual(perms.map((p) => Array.from(p)));
    expect(seededPermutations(5, 6, 43).map((p) => Array.from(p))).not.toEqual(
      perms.map((p) => Array.from(p)),
    );
  });
});
