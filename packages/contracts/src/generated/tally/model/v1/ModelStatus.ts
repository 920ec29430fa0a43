// Original file: proto/tally/model/v1/scoring_service.proto

import type { ModelVersionStatus as _tally_model_v1_ModelVersionStatus, ModelVersionStatus__Output as _tally_model_v1_ModelVersionStatus__Output } from '../../../tally/model/v1/ModelVersionStatus';
import type { ChallengerStatus as _tally_model_v1_ChallengerStatus, ChallengerStatus__Output as _tally_model_v1_ChallengerStatus__Output } from '../../../tally/model/v1/ChallengerStatus';
import type { DecisionPolicy as _tally_model_v1_DecisionPolicy, DecisionPolicy__Output as _tally_model_v1_DecisionPolicy__Output } from '../../../tally/model/v1/DecisionPolicy';

export interface ModelStatus {
  'name'?: (string);
  'featureSet'?: (string);
  'versionPolicy'?: (string);
  'versions'?: (_tally_model_v1_ModelVersionStatus)[];
  'challenger'?: (_tally_model_v1_ChallengerStatus | null);
  'decisionPolicy'?: (_tally_model_v1_DecisionPolicy | null);
}

export interface ModelStatus__Output {
  'name': (string);
  'featureSet': (string);
  'versionPolicy': (string);
  'versions': (_tally_model_v1_ModelVersionStatus__Output)[];
  'challenger': (_tally_model_v1_ChallengerStatus__Output | null);
  'decisionPolicy': (_tally_model_v1_DecisionPolicy__Output | null);
}
