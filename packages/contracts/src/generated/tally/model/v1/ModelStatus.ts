// Original file: proto/tally/model/v1/scoring_service.proto

import type { ModelVersionStatus as _tally_model_v1_ModelVersionStatus, ModelVersionStatus__Output as _tally_model_v1_ModelVersionStatus__Output } from '../../../tally/model/v1/ModelVersionStatus';
import type { DecisionPolicy as _tally_model_v1_DecisionPolicy, DecisionPolicy__Output as _tally_model_v1_DecisionPolicy__Output } from '../../../tally/model/v1/DecisionPolicy';

export interface ModelStatus {
  'name'?: (string);
  'featureSet'?: (string);
  'versionPolicy'?: (string);
  'versions'?: (_tally_model_v1_ModelVersionStatus)[];
  'decisionPolicy'?: (_tally_model_v1_DecisionPolicy | null);
}

export interface ModelStatus__Output {
  'name': (string);
  'featureSet': (string);
  'versionPolicy': (string);
  'versions': (_tally_model_v1_ModelVersionStatus__Output)[];
  'decisionPolicy': (_tally_model_v1_DecisionPolicy__Output | null);
}
