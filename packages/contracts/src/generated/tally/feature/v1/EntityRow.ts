// Original file: proto/tally/feature/v1/feature_service.proto

import type { Value as _tally_common_v1_Value, Value__Output as _tally_common_v1_Value__Output } from '../../../tally/common/v1/Value';

export interface EntityRow {
  'keys'?: ({[key: string]: _tally_common_v1_Value});
  'context'?: ({[key: string]: _tally_common_v1_Value});
}

export interface EntityRow__Output {
  'keys': ({[key: string]: _tally_common_v1_Value__Output});
  'context': ({[key: string]: _tally_common_v1_Value__Output});
}
