import type { feature, model } from '@tally/contracts';
import type { PinnedSchema } from './schema-pin';

/**
 * A model's decision policy (config `decision_policy`, docs/model-repository.md): which features must
 * be PRESENT for the model to decide, how many stored features may be defaulted or stale, and what
 * happens otherwise.
 */
export interface DecisionPolicy {
  /** Feature or column names that must be PRESENT. */
  requiredPresent: string[];
  /** Most stored features that may be not PRESENT; undefined = no limit. */
  maxStoredNotPresent: number | undefined;
  /** refuse = FAILED_PRECONDITION naming the features; flag = answer with policy_verdict FLAGGED. */
  onViolation: 'refuse' | 'flag';
}

export const DECISION_POLICY_KEYS = ['required_present', 'max_stored_not_present', 'on_violation'] as const;

type Fail = (field: string, problem: string) => never;

const describe = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'a list' : `${typeof value} ${JSON.stringify(value)}`;

/** Validates the config's `decision_policy` mapping; undefined when the config declares none. */
export function parseDecisionPolicy(value: unknown, fail: Fail): DecisionPolicy | undefined {
  const field = 'decision_policy';
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value))
    fail(field, `expected a mapping, got ${describe(value)}`);
  const obj = value as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    if (!(DECISION_POLICY_KEYS as readonly string[]).includes(key)) {
      fail(`${field}.${key}`, `unknown field (expected one of ${DECISION_POLICY_KEYS.join(', ')})`);
    }
  }
  let requiredPresent: string[] = [];
  const required = obj.required_present;
  if (required !== undefined && required !== null) {
    if (!Array.isArray(required)) fail(`${field}.required_present`, 'expected a list of feature names');
    requiredPresent = (required as unknown[]).map((name, i) => {
      if (typeof name !== 'string' || name.trim() === '')
        fail(`${field}.required_present[${i}]`, `expected a feature name, got ${describe(name)}`);
      return name as string;
    });
  }
  let maxStoredNotPresent: number | undefined;
  const max = obj.max_stored_not_present;
  if (max !== undefined && max !== null) {
    if (typeof max !== 'number' || !Number.isInteger(max) || max < 0 || max > 1_000_000)
      fail(`${field}.max_stored_not_present`, `expected an integer from 0 to 1000000, got ${describe(max)}`);
    maxStoredNotPresent = max as number;
  }
  const action = obj.on_violation ?? 'refuse';
  if (action !== 'refuse' && action !== 'flag')
    fail(`${field}.on_violation`, `expected refuse or flag, got ${describe(action)}`);
  if (requiredPresent.length === 0 && maxStoredNotPresent === undefined)
    fail(field, 'declares no requirement: give required_present, max_stored_not_present or both');
  return { requiredPresent, maxStoredNotPresent, onViolation: action as 'refuse' | 'flag' };
}

/** The policy as one line, e.g. "required_present: [int_rate]; max_stored_not_present: 0; on_violation: flag". */
export function policySummary(policy: DecisionPolicy | undefined): string {
  if (policy === undefined) return '';
  const parts: string[] = [];
  if (policy.requiredPresent.length > 0)
    parts.push(`required_present: [${policy.requiredPresent.join(', ')}]`);
  if (policy.maxStoredNotPresent !== undefined)
    parts.push(`max_stored_not_present: ${policy.maxStoredNotPresent}`);
  parts.push(`on_violation: ${policy.onViolation}`);
  return parts.join('; ');
}

/** The policy as ListModels reports it. */
export function policyView(policy: DecisionPolicy | undefined): model.DecisionPolicy | undefined {
  if (policy === undefined) return undefined;
  return {
    requiredPresent: policy.requiredPresent,
    maxStoredNotPresent: policy.maxStoredNotPresent ?? -1,
    onViolation: policy.onViolation,
    summary: policySummary(policy),
  };
}

/**
 * Checks at load that every name in required_present is a feature or column of the version's pinned
 * schema; returns the problem (naming the config field) or undefined.
 */
export function policyProblem(policy: DecisionPolicy | undefined, pinned: PinnedSchema): string | undefined {
  if (policy === undefined) return undefined;
  const names = new Set(pinned.columns.flatMap((c) => [c.name, c.feature]));
  const i = policy.requiredPresent.findIndex((name) => !names.has(name));
  if (i < 0) return undefined;
  return `config decision_policy.required_present[${i}]: '${policy.requiredPresent[i]}' is not a feature of feature set '${pinned.feature_set}'`;
}

const shortStatus = (status: string): string => status.replace('FEATURE_STATUS_', '');

/**
 * Every way one vector breaks the policy, each as a sentence naming the features (empty = met).
 * Statuses are per column in the pinned schema's order; a feature is PRESENT when all its columns are.
 */
export function policyViolations(
  policy: DecisionPolicy | undefined,
  pinned: PinnedSchema,
  statuses: readonly feature.FeatureStatus__Output[],
): string[] {
  if (policy === undefined) return [];
  // The first non-PRESENT status of each feature (one-hot features fill several columns).
  const notPresent = new Map<string, string>();
  pinned.columns.forEach((column, i) => {
    const status = statuses[i] ?? 'FEATURE_STATUS_UNSPECIFIED';
    if (status !== 'FEATURE_STATUS_PRESENT' && !notPresent.has(column.feature))
      notPresent.set(column.feature, shortStatus(status));
    if (status !== 'FEATURE_STATUS_PRESENT' && column.name !== column.feature && !notPresent.has(column.name))
      notPresent.set(column.name, shortStatus(status));
  });
  const violations: string[] = [];
  const missingRequired = policy.requiredPresent.filter((name) => notPresent.has(name));
  if (missingRequired.length > 0) {
    violations.push(
      `required feature${missingRequired.length > 1 ? 's' : ''} not present: ${missingRequired.map((n) => `${n} (${notPresent.get(n)})`).join(', ')}`,
    );
  }
  if (policy.maxStoredNotPresent !== undefined) {
    const stored = [...new Set(pinned.columns.filter((c) => c.source === 'stored').map((c) => c.feature))];
    const bad = stored.filter((name) => notPresent.has(name));
    if (bad.length > policy.maxStoredNotPresent) {
      violations.push(
        `${bad.length} stored feature${bad.length > 1 ? 's' : ''} not present (at most ${policy.maxStoredNotPresent} allowed): ${bad.map((n) => `${n} (${notPresent.get(n)})`).join(', ')}`,
      );
    }
  }
  return violations;
}
