import { ModelConfigError, parseModelConfig } from '../repository/model-config';
import { canaryPoint } from './canary-slice';

const BASE = { feature_set: 'credit_risk', input: 'features', score_output: 'probabilities' };

function parse(challenger: unknown) {
  return parseModelConfig('m', 'models/m/config.yaml', { ...BASE, challenger }).challenger;
}

function problem(challenger: unknown): string {
  try {
    parse(challenger);
  } catch (err) {
    if (err instanceof ModelConfigError) return err.message;
    throw err;
  }
  throw new Error('parsed');
}

describe('model config: challenger', () => {
  it('is optional and takes defaults', () => {
    expect(parse(undefined)).toBeUndefined();
    expect(parse({ version: 3 })).toEqual({
      version: 3,
      mode: 'shadow',
      canaryFraction: 0,
      agreementThreshold: 0.5,
      maxInFlight: 64,
    });
    expect(
      parse({ version: 1, mode: 'canary', canary_fraction: 0.1, agreement_threshold: 0.3, max_in_flight: 8 }),
    ).toEqual({
      version: 1,
      mode: 'canary',
      canaryFraction: 0.1,
      agreementThreshold: 0.3,
      maxInFlight: 8,
    });
  });

  it('names the file and field of a bad value', () => {
    expect(problem({})).toBe('models/m/config.yaml: challenger.version: required');
    expect(problem({ version: 0 })).toMatch(/challenger\.version: expected an integer from 1/);
    expect(problem({ version: 1, mode: 'blue' })).toMatch(
      /challenger\.mode: expected shadow or canary, got "blue"/,
    );
    expect(problem({ version: 1, mode: 'canary' })).toMatch(/challenger\.canary_fraction: required/);
    expect(problem({ version: 1, mode: 'canary', canary_fraction: 1.5 })).toMatch(
      /challenger\.canary_fraction: expected a number from 0 to 1, got 1.5/,
    );
    expect(problem({ version: 1, canary_fraction: 0.2 })).toMatch(/only applies to mode canary/);
    expect(problem({ version: 1, colour: 'red' })).toMatch(/challenger\.colour: unknown field/);
    expect(problem('v1')).toMatch(/challenger: expected a mapping/);
  });
});

describe('canary slice', () => {
  it('is stable per entity and spreads entities evenly', () => {
    expect(canaryPoint('credit_risk', 'applicant_id=17')).toBe(canaryPoint('credit_risk', 'applicant_id=17'));
    const points = Array.from({ length: 10000 }, (_, i) => canaryPoint('credit_risk', `applicant_id=${i}`));
    expect(points.every((p) => p >= 0 && p < 1)).toBe(true);
    const inTenPercent = points.filter((p) => p < 0.1).length;
    expect(inTenPercent).toBeGreaterThan(850);
    expect(inTenPercent).toBeLessThan(1150);
  });
});
