import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '@tally/testkit';
import { loadRegistry } from './load-registry';

const FIXTURES = path.join(repoRoot(), 'features/test/registry');
const base = (file: string) => fs.readFileSync(path.join(FIXTURES, file), 'utf8');

/** A copy of the test registry with `edit` applied to one file; returns the loader's error message. */
function errorAfter(file: string, edit: (text: string) => string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-registry-'));
  try {
    for (const name of fs.readdirSync(FIXTURES)) {
      const text = base(name);
      fs.writeFileSync(path.join(dir, name), name === file ? edit(text) : text);
    }
    loadRegistry(dir);
    return 'loaded without error';
  } catch (err) {
    return (err as Error).message.replace(dir + path.sep, '');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('registry loading', () => {
  it('resolves the test registry: columns in order, one-hot expanded, views read once', () => {
    const registry = loadRegistry(FIXTURES);
    const set = registry.featureSets.get('credit_test')!;
    expect(set.columns).toEqual([
      'annual_inc',
      'open_accounts',
      'has_mortgage',
      'grade=A',
      'grade=B',
      'grade=C',
      'home',
      'purchases_30d',
      'chargeback_rate',
      'amount',
      'channel=web',
      'channel=app',
      'term_months',
      'loan_to_income',
      'log_amount',
    ]);
    expect(set.views.map((v) => v.name)).toEqual([
      'applicant_profile',
      'applicant_activity',
      'merchant_risk',
    ]);
    expect(registry.views.get('applicant_profile')!.maxAgeMs).toBe(30 * 86_400_000);
    expect(set.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(set.fingerprint).not.toBe(registry.featureSets.get('profile_only')!.fingerprint);
  });

  it('a changed definition changes the fingerprint', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-registry-'));
    for (const name of fs.readdirSync(FIXTURES)) {
      const text = base(name);
      fs.writeFileSync(
        path.join(dir, name),
        name === 'views.yaml' ? text.replace('default: 0.01', 'default: 0.02') : text,
      );
    }
    const changed = loadRegistry(dir).featureSets.get('credit_test')!.fingerprint;
    fs.rmSync(dir, { recursive: true, force: true });
    expect(changed).not.toBe(loadRegistry(FIXTURES).featureSets.get('credit_test')!.fingerprint);
  });

  it.each([
    [
      'entities.yaml',
      (t: string) => t.replace('type: int', 'type: uuid'),
      'entities.yaml: entities[0].type: expected one of int, string',
    ],
    [
      'views.yaml',
      (t: string) => t.replace('max_age: 30d', 'max_age: 30 days'),
      'views.yaml: feature_views[0].max_age: expected a number with a unit',
    ],
    [
      'views.yaml',
      (t: string) => t.replace('default: C', 'default: D'),
      'views.yaml: feature_views[0].features[3].default: expected one of the declared levels (A, B, C)',
    ],
    [
      'views.yaml',
      (t: string) => t.replace('        default: false\n', '        defualt: false\n'),
      'views.yaml: feature_views[0].features[2].defualt: unknown field',
    ],
    [
      'views.yaml',
      (t: string) => t.replace('entity: merchant', 'entity: shop'),
      "views.yaml: feature_views[2].entity: unknown entity 'shop'",
    ],
    [
      'sets.yaml',
      (t: string) => t.replace('log(amount)', 'log(amount'),
      "sets.yaml: on_demand_features[1].expression: expected ')' at character 11",
    ],
    [
      'sets.yaml',
      (t: string) => t.replace('- applicant_profile.home', '- applicant_profile.house'),
      "sets.yaml: feature_sets[0].features[4]: feature view 'applicant_profile' has no feature 'house'",
    ],
    [
      'sets.yaml',
      (t: string) => t.replace('max(annual_inc, 1)', 'max(salary, 1)'),
      "sets.yaml: feature_sets[0].features[10]: on-demand feature 'loan_to_income' reads 'salary'",
    ],
    [
      'sets.yaml',
      (t: string) => t.replace('        default: 12\n', ''),
      'sets.yaml: feature_sets[0].context[2].default: required for an optional context field',
    ],
    [
      'sets.yaml',
      (t: string) => t.replace('entities: [applicant]', 'entities: [merchant]'),
      "sets.yaml: feature_sets[1].features[0]: view 'applicant_profile' is keyed by entity 'applicant'",
    ],
    [
      'sets.yaml',
      (t: string) =>
        `${t}\n  - name: credit_test\n    entities: [applicant]\n    features: [applicant_profile.grade]\n`,
      "sets.yaml: feature_sets[2].name: duplicate feature set 'credit_test'",
    ],
    ['entities.yaml', (t: string) => `${t}\n  bad: [\n`, 'entities.yaml: (yaml):'],
  ])('%s: a bad definition is reported with file and field', (file, edit, expected) => {
    expect(errorAfter(file, edit)).toContain(expected);
  });
});
