// Original file: proto/tally/model/v1/scoring_service.proto

import type { ModelVersionState as _tally_model_v1_ModelVersionState, ModelVersionState__Output as _tally_model_v1_ModelVersionState__Output } from '../../../tally/model/v1/ModelVersionState';

export interface ModelVersionStatus {
  'version'?: (string);
  'state'?: (_tally_model_v1_ModelVersionState);
  'reason'?: (string);
}

export interface ModelVersionStatus__Output {
  'version': (string);
  'state': (_tally_model_v1_ModelVersionState__Output);
  'reason': (string);
}
