// Original file: proto/tally/feature/v1/feature_service.proto

import type { ValueType as _tally_feature_v1_ValueType, ValueType__Output as _tally_feature_v1_ValueType__Output } from '../../../tally/feature/v1/ValueType';

export interface EntityKeySpec {
  'name'?: (string);
  'type'?: (_tally_feature_v1_ValueType);
  'entity'?: (string);
}

export interface EntityKeySpec__Output {
  'name': (string);
  'type': (_tally_feature_v1_ValueType__Output);
  'entity': (string);
}
