import { populationStability } from './psi';

/** A deterministic spread of n scores in (0, 1) shaped by `shape` (1 = uniform). */
function scores(n: number, shape = 1, shift = 0): number[] {
  return Array.from({ length: n }, (_, i) => Math.min(0.999, ((i + 0.5) / n) ** shape + shift));
}

describe('populationStability', () => {
  it('is about 0 for the same distribution', () => {
    const report = populationStability(scores(1000), scores(777));
    expect(report.psi).toBeLessThan(0.01);
    expect(report.expected.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    expect(report.edges).toHaveLength(11);
  });

  it('grows with the shift, past 0.25 for a large one', () => {
    const small = populationStability(scores(1000), scores(1000, 1, 0.02)).psi;
    const large = populationStability(scores(1000), scores(1000, 3)).psi;
    expect(small).toBeGreaterThan(0);
    expect(small).toBeLessThan(0.1);
    expect(large).toBeGreaterThan(0.25);
  });

  it('matches a hand computation on two bins', () => {
    // Baseline split at its median 0.5: expected 50/50; actual 80/20.
    const report = populationStability([0.25, 0.75], [0.1, 0.2, 0.3, 0.4, 0.9], 2);
    const expected = (0.8 - 0.5) * Math.log(0.8 / 0.5) + (0.2 - 0.5) * Math.log(0.2 / 0.5);
    expect(report.psi).toBeCloseTo(expected, 12);
  });

  it('refuses empty inputs', () => {
    expect(() => populationStability([], [0.1])).toThrow('the baseline has no scores');
    expect(() => populationStability([0.1], [])).toThrow('no scores to compare');
  });
});
