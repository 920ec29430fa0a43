// Original file: proto/tally/model/v1/scoring_service.proto

import type { Value as _tally_common_v1_Value, Value__Output as _tally_common_v1_Value__Output } from '../../../tally/common/v1/Value';

export interface ScoreItem {
  'entityKeys'?: ({[key: string]: _tally_common_v1_Value});
  'context'?: ({[key: string]: _tally_common_v1_Value});
  'requestId'?: (string);
}

export interface ScoreItem__Output {
  'entityKeys': ({[key: string]: _tally_common_v1_Value__Output});
  'context': ({[key: string]: _tally_common_v1_Value__Output});
  'requestId': (string);
}
