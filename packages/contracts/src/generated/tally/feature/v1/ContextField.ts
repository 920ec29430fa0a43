// Original file: proto/tally/feature/v1/feature_service.proto

import type { ValueType as _tally_feature_v1_ValueType, ValueType__Output as _tally_feature_v1_ValueType__Output } from '../../../tally/feature/v1/ValueType';

export interface ContextField {
  'name'?: (string);
  'type'?: (_tally_feature_v1_ValueType);
  'required'?: (boolean);
  'levels'?: (string)[];
  'description'?: (string);
}

export interface ContextField__Output {
  'name': (string);
  'type': (_tally_feature_v1_ValueType__Output);
  'required': (boolean);
  'levels': (string)[];
  'description': (string);
}
