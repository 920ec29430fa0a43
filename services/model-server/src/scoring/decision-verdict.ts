import { FailedPreconditionError } from '@tally/grpc-kit';
import type { feature, model } from '@tally/contracts';
import { policySummary, policyViolations } from '../serving/decision-policy';
import type { ServingModel } from '../serving/serving-model';

/** The ScoreResponse fields that carry the decision policy's outcome. */
export type DecisionVerdict = Pick<
  model.ScoreResponse,
  'policyVerdict' | 'policyViolations' | 'decisionPolicy'
>;

/**
 * Applies the model's decision policy to one vector's statuses, before it is scored: MET, or FLAGGED
 * with the violations (on_violation: flag), or FAILED_PRECONDITION naming the features (on_violation:
 * refuse; `item` names the ScoreBatch item). A model without a policy always meets it.
 */
export function decisionVerdict(
  serving: ServingModel,
  statuses: readonly feature.FeatureStatus__Output[],
  item?: number,
): DecisionVerdict {
  const policy = serving.config.decisionPolicy;
  const pinned = serving.schemaCheck?.pinned;
  const decisionPolicy = policySummary(policy);
  const violations = pinned === undefined ? [] : policyViolations(policy, pinned, statuses);
  if (violations.length === 0)
    return { policyVerdict: 'POLICY_VERDICT_MET', policyViolations: [], decisionPolicy };
  if (policy?.onViolation === 'refuse') {
    throw new FailedPreconditionError(
      `${item === undefined ? '' : `items[${item}]: `}the decision policy of model ${serving.name} refuses to decide on this vector (${decisionPolicy}): ${violations.join('; ')}`,
    );
  }
  return { policyVerdict: 'POLICY_VERDICT_FLAGGED', policyViolations: violations, decisionPolicy };
}
