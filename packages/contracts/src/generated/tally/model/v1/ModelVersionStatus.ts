// Original file: proto/tally/model/v1/scoring_service.proto

import type { ModelVersionState as _tally_model_v1_ModelVersionState, ModelVersionState__Output as _tally_model_v1_ModelVersionState__Output } from '../../../tally/model/v1/ModelVersionState';
import type { SchemaCheck as _tally_model_v1_SchemaCheck, SchemaCheck__Output as _tally_model_v1_SchemaCheck__Output } from '../../../tally/model/v1/SchemaCheck';

export interface ModelVersionStatus {
  'version'?: (string);
  'state'?: (_tally_model_v1_ModelVersionState);
  'reason'?: (string);
  'schemaCheck'?: (_tally_model_v1_SchemaCheck | null);
}

export interface ModelVersionStatus__Output {
  'version': (string);
  'state': (_tally_model_v1_ModelVersionState__Output);
  'reason': (string);
  'schemaCheck': (_tally_model_v1_SchemaCheck__Output | null);
}
