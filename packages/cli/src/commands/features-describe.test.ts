import type { feature } from '@tally/contracts';
import { describeText } from './features';

const spec = (overrides: Partial<feature.FeatureSpec__Output>): feature.FeatureSpec__Output =>
  ({
    name: '',
    source: 'FEATURE_SOURCE_STORED',
    view: '',
    type: 'VALUE_TYPE_FLOAT',
    defaultValue: null,
    levels: [],
    encoding: 'CATEGORICAL_ENCODING_UNSPECIFIED',
    columns: [],
    maxAgeMs: 0,
    description: '',
    eventSource: '',
    aggregation: '',
    field: '',
    windowMs: 0,
    tileMs: 0,
    filter: '',
    ...overrides,
  }) as feature.FeatureSpec__Output;

describe('tally features describe', () => {
  it('says what each aggregation feature computes, over which window and source', () => {
    const text = describeText({
      name: 'rt',
      description: 'real time',
      entityKeys: [{ name: 'applicant_id', type: 'VALUE_TYPE_INT', entity: 'applicant' }],
      features: [
        spec({
          name: 'declined_amount_sum_24h',
          source: 'FEATURE_SOURCE_AGGREGATION',
          columns: ['declined_amount_sum_24h'],
          eventSource: 'purchase_attempts',
          aggregation: 'sum',
          field: 'amount',
          windowMs: 86_400_000,
          filter: 'decision == declined',
          defaultValue: {
            kind: 'doubleValue',
            doubleValue: 0,
          } as feature.FeatureSpec__Output['defaultValue'],
        }),
        spec({
          name: 'purchase_count_1h',
          source: 'FEATURE_SOURCE_AGGREGATION',
          type: 'VALUE_TYPE_INT',
          columns: ['purchase_count_1h'],
          eventSource: 'purchase_attempts',
          aggregation: 'count',
          windowMs: 3_600_000,
        }),
      ],
      columns: ['declined_amount_sum_24h', 'purchase_count_1h'],
      contextFields: [],
      fingerprint: 'f',
      eventSources: ['purchase_attempts'],
    });
    expect(text).toContain('sum(amount) 1d of purchase_attempts where decision == declined');
    expect(text).toContain('count() 1h of purchase_attempts');
  });
});
