// Original file: proto/tally/model/v1/scoring_service.proto

import type { ModelStatus as _tally_model_v1_ModelStatus, ModelStatus__Output as _tally_model_v1_ModelStatus__Output } from '../../../tally/model/v1/ModelStatus';

export interface UnloadModelResponse {
  'model'?: (_tally_model_v1_ModelStatus | null);
}

export interface UnloadModelResponse__Output {
  'model': (_tally_model_v1_ModelStatus__Output | null);
}
