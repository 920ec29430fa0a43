// Original file: proto/tally/model/v1/decision_log.proto

import type { Decision as _tally_model_v1_Decision, Decision__Output as _tally_model_v1_Decision__Output } from '../../../tally/model/v1/Decision';

export interface ListDecisionsResponse {
  'decisions'?: (_tally_model_v1_Decision)[];
}

export interface ListDecisionsResponse__Output {
  'decisions': (_tally_model_v1_Decision__Output)[];
}
