import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '@tally/testkit';
import { loadRegistry } from './load-registry';

const FIXTURE = path.join(repoRoot(), 'features/test/events-registry/registry.yaml');
const text = fs.readFileSync(FIXTURE, 'utf8');

/** The test event registry with `edit` applied; returns the loader's error message. */
function errorAfter(edit: (yaml: string) => string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-event-registry-'));
  try {
    const edited = edit(text);
    if (edited === text) throw new Error('the edit changed nothing');
    fs.writeFileSync(path.join(dir, 'registry.yaml'), edited);
    loadRegistry(dir);
    return 'loaded without error';
  } catch (err) {
    return (err as Error).message.replace(dir + path.sep, '');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('event sources in the registry', () => {
  it('one feature per (aggregation, window), named with the window as written, with its tile size', () => {
    const registry = loadRegistry(path.dirname(FIXTURE));
    const source = registry.eventSources.get('test_purchases')!;
    expect(
      source.aggregations.map((a) => `${a.name} ${a.function} ${a.series.id} ${a.tileMs / 60_000}m`),
    ).toEqual([
      'purchase_count_1h count * 1m',
      'purchase_count_24h count * 15m',
      'purchase_count_7d count * 120m',
      'purchase_count_30d count * 480m',
      'amount_sum_1h sum amount 1m',
      'amount_sum_30d sum amount 480m',
      'amount_mean_24h mean amount 15m',
      'amount_min_24h min amount 15m',
      'amount_max_30d max amount 480m',
      'quantity_last_7d last quantity 120m',
      'declined_count_30d count *|decision=declined 480m',
      'declined_amount_sum_24h sum amount|decision=declined 15m',
      'since_last_purchase_7d time_since_last * 120m',
    ]);
    expect(source.aggregations.find((a) => a.name === 'quantity_last_7d')!.type).toBe('int');
    expect(source.longestWindowMs).toBe(30 * 86_400_000);
    expect(source.retentionMs).toBe(60 * 86_400_000);
    const set = registry.featureSets.get('events_test')!;
    expect(set.eventSources.map((s) => s.name)).toEqual(['test_purchases']);
  });

  it.each([
    [
      'an unknown function',
      (y: string) => y.replace('function: mean', 'function: median'),
      'registry.yaml: event_sources[0].aggregations[2].function: expected one of count, sum, mean, min, max, last, time_since_last',
    ],
    [
      'sum without a field',
      (y: string) =>
        y.replace(
          'function: sum\n        field: amount\n        windows: [1h, 30d]',
          'function: sum\n        windows: [1h, 30d]',
        ),
      "registry.yaml: event_sources[0].aggregations[1].field: required for sum: a float or int field of 'test_purchases'",
    ],
    [
      'sum of a categorical field',
      (y: string) =>
        y.replace(
          'function: sum\n        field: amount\n        windows: [1h, 30d]',
          'function: sum\n        field: decision\n        windows: [1h, 30d]',
        ),
      "registry.yaml: event_sources[0].aggregations[1].field: sum needs a float or int field; 'decision' is categorical",
    ],
    [
      'a window no tile size fits',
      (y: string) => y.replace('windows: [1h, 24h, 7d, 30d]', 'windows: [1h, 97m]'),
      'registry.yaml: event_sources[0].aggregations[0].windows[1]: expected a duration such as 1h',
    ],
    [
      'a filter on a non-categorical field',
      (y: string) =>
        y.replace(
          'filter: { field: decision, equals: declined }\n        windows: [30d]',
          'filter: { field: amount, equals: declined }\n        windows: [30d]',
        ),
      "registry.yaml: event_sources[0].aggregations[6].filter.field: 'amount' is not categorical",
    ],
    [
      'a filter level that is not declared',
      (y: string) =>
        y.replace(
          'filter: { field: decision, equals: declined }\n        windows: [30d]',
          'filter: { field: decision, equals: refused }\n        windows: [30d]',
        ),
      "registry.yaml: event_sources[0].aggregations[6].filter.equals: expected one of the levels of 'decision' (approved, declined, review)",
    ],
    [
      'min without a default',
      (y: string) =>
        y.replace(
          'windows: [24h]\n        default: -1\n      - name: amount_min',
          'windows: [24h]\n      - name: amount_min',
        ),
      'registry.yaml: event_sources[0].aggregations[2].default: required for mean: the value served when the window holds no event',
    ],
    [
      'an int default for an int last given 1.5',
      (y: string) => y.replace('windows: [7d]\n        default: 0', 'windows: [7d]\n        default: 1.5'),
      'registry.yaml: event_sources[0].aggregations[5].default: expected an integer',
    ],
    [
      'a source named like a view',
      (y: string) => y.replace('  - name: merchant_events', '  - name: applicant_profile'),
      "registry.yaml: event_sources[1].name: 'applicant_profile' is already a feature view or a reserved prefix",
    ],
    [
      'an unknown aggregation feature in a set',
      (y: string) => y.replace('test_purchases.purchase_count_1h', 'test_purchases.purchase_count_2h'),
      "registry.yaml: feature_sets[0].features[1]: event source 'test_purchases' has no aggregation feature 'purchase_count_2h'",
    ],
    [
      'a source whose entity is not in the set',
      (y: string) =>
        y.replace(
          '- on_demand.amount_per_purchase_30d',
          '- on_demand.amount_per_purchase_30d\n      - merchant_events.merchant_count_1h',
        ),
      "registry.yaml: feature_sets[0].features[15]: event source 'merchant_events' is keyed by entity 'merchant', which is not in entities",
    ],
    [
      'an unknown field type',
      (y: string) => y.replace('name: online\n        type: bool', 'name: online\n        type: boolean'),
      'registry.yaml: event_sources[0].fields[4].type: expected one of float, int, bool, categorical, string',
    ],
    [
      'a misspelt key',
      (y: string) => y.replace('    retention: 60d', '    retension: 60d'),
      'registry.yaml: event_sources[0].retension: unknown field',
    ],
  ])('refuses %s, naming the file and field', (_label, edit, message) => {
    expect(errorAfter(edit)).toContain(message);
  });
});
