import type { Measurement } from './measurement';
import { medianRatio } from './targets';

const m = (throughputPerSec: number, rounds?: Measurement[]) =>
  ({ throughputPerSec, ...(rounds ? { rounds } : {}) }) as Measurement;

describe('medianRatio', () => {
  it('pairs the rounds in order and takes the median of their ratios', () => {
    const service = m(0, [m(90), m(50), m(200)]);
    const baseline = m(0, [m(100), m(100), m(100)]);
    const find = (label: string) => (label === 's' ? service : label === 'b' ? baseline : undefined);
    expect(medianRatio(find, 's', 'b', (x) => x.throughputPerSec)).toBe(0.9);
  });

  it('uses a single measurement as one round, and is undefined when a side is missing', () => {
    const find = (label: string) => (label === 's' ? m(30) : label === 'b' ? m(60) : undefined);
    expect(medianRatio(find, 's', 'b', (x) => x.throughputPerSec)).toBe(0.5);
    expect(medianRatio(find, 's', 'x', (x) => x.throughputPerSec)).toBeUndefined();
  });
});
