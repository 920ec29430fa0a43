// Original file: proto/tally/model/v1/scoring_service.proto

export const PolicyVerdict = {
  POLICY_VERDICT_UNSPECIFIED: 'POLICY_VERDICT_UNSPECIFIED',
  POLICY_VERDICT_MET: 'POLICY_VERDICT_MET',
  POLICY_VERDICT_FLAGGED: 'POLICY_VERDICT_FLAGGED',
} as const;

export type PolicyVerdict =
  | 'POLICY_VERDICT_UNSPECIFIED'
  | 0
  | 'POLICY_VERDICT_MET'
  | 1
  | 'POLICY_VERDICT_FLAGGED'
  | 2

export type PolicyVerdict__Output = typeof PolicyVerdict[keyof typeof PolicyVerdict]
