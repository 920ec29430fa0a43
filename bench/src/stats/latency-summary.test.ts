import { percentile, summarizeLatencies } from './latency-summary';

describe('percentile (nearest rank)', () => {
  const sorted = Array.from({ length: 100 }, (_, i) => i + 1); // 1..100

  it('returns an observed value at the nearest rank', () => {
    expect(percentile(sorted, 0.5)).toBe(50);
    expect(percentile(sorted, 0.99)).toBe(99);
    expect(percentile(sorted, 1)).toBe(100);
    expect(percentile([7], 0.5)).toBe(7);
    expect(percentile([1, 2, 3], 0.5)).toBe(2);
  });

  it('is NaN for no values and refuses q outside (0, 1]', () => {
    expect(percentile([], 0.5)).toBeNaN();
    expect(() => percentile(sorted, 0)).toThrow(/q must be/);
    expect(() => percentile(sorted, 1.5)).toThrow(/q must be/);
  });
});

describe('summarizeLatencies', () => {
  it('sorts numerically, not as text, and reports count/mean/max', () => {
    const summary = summarizeLatencies([10, 9, 100, 1, 2]);
    expect(summary).toEqual({ count: 5, mean: 24.4, p50: 9, p90: 100, p99: 100, max: 100 });
  });

  it('reports an empty measurement as count 0', () => {
    const summary = summarizeLatencies([]);
    expect(summary.count).toBe(0);
    expect(summary.p99).toBeNaN();
  });
});
