// Original file: proto/tally/model/v1/decision_log.proto

import type { Value as _tally_common_v1_Value, Value__Output as _tally_common_v1_Value__Output } from '../../../tally/common/v1/Value';
import type { Long } from '@grpc/proto-loader';

export interface ListDecisionsRequest {
  'entityKeys'?: ({[key: string]: _tally_common_v1_Value});
  'sinceUnixMs'?: (number | string | Long);
  'untilUnixMs'?: (number | string | Long);
  'limit'?: (number);
}

export interface ListDecisionsRequest__Output {
  'entityKeys': ({[key: string]: _tally_common_v1_Value__Output});
  'sinceUnixMs': (number);
  'untilUnixMs': (number);
  'limit': (number);
}
