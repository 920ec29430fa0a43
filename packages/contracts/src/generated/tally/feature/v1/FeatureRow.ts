// Original file: proto/tally/feature/v1/feature_service.proto

import type { Value as _tally_common_v1_Value, Value__Output as _tally_common_v1_Value__Output } from '../../../tally/common/v1/Value';
import type { Long } from '@grpc/proto-loader';

export interface FeatureRow {
  'keys'?: ({[key: string]: _tally_common_v1_Value});
  'values'?: ({[key: string]: _tally_common_v1_Value});
  'eventTimeUnixMs'?: (number | string | Long);
}

export interface FeatureRow__Output {
  'keys': ({[key: string]: _tally_common_v1_Value__Output});
  'values': ({[key: string]: _tally_common_v1_Value__Output});
  'eventTimeUnixMs': (number);
}
