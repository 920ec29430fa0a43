import type { Measurement } from '../measurement';
import { medianRound } from './tracing-scenario';

const round = (throughputPerSec: number) => ({ throughputPerSec }) as Measurement;

describe('medianRound', () => {
  it('picks the round with the median throughput, the lower middle one for an even count', () => {
    expect(medianRound([round(446), round(319), round(400)])?.throughputPerSec).toBe(400);
    expect(medianRound([round(3), round(1), round(2), round(4)])?.throughputPerSec).toBe(2);
    expect(medianRound([])).toBeUndefined();
  });
});
