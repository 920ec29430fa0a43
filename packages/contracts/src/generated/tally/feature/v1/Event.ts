// Original file: proto/tally/feature/v1/feature_service.proto

import type { Value as _tally_common_v1_Value, Value__Output as _tally_common_v1_Value__Output } from '../../../tally/common/v1/Value';
import type { Long } from '@grpc/proto-loader';

export interface Event {
  'eventId'?: (string);
  'eventTimeUnixMs'?: (number | string | Long);
  'keys'?: ({[key: string]: _tally_common_v1_Value});
  'fields'?: ({[key: string]: _tally_common_v1_Value});
}

export interface Event__Output {
  'eventId': (string);
  'eventTimeUnixMs': (number);
  'keys': ({[key: string]: _tally_common_v1_Value__Output});
  'fields': ({[key: string]: _tally_common_v1_Value__Output});
}
