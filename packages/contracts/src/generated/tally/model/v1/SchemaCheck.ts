// Original file: proto/tally/model/v1/scoring_service.proto

import type { SchemaCheckState as _tally_model_v1_SchemaCheckState, SchemaCheckState__Output as _tally_model_v1_SchemaCheckState__Output } from '../../../tally/model/v1/SchemaCheckState';

export interface SchemaCheck {
  'state'?: (_tally_model_v1_SchemaCheckState);
  'pinnedFingerprint'?: (string);
  'detail'?: (string);
}

export interface SchemaCheck__Output {
  'state': (_tally_model_v1_SchemaCheckState__Output);
  'pinnedFingerprint': (string);
  'detail': (string);
}
