// Original file: proto/tally/model/v1/scoring_service.proto

import type { Value as _tally_common_v1_Value, Value__Output as _tally_common_v1_Value__Output } from '../../../tally/common/v1/Value';
import type { Long } from '@grpc/proto-loader';

export interface ScoreRequest {
  'model'?: (string);
  'version'?: (string);
  'entityKeys'?: ({[key: string]: _tally_common_v1_Value});
  'context'?: ({[key: string]: _tally_common_v1_Value});
  'requestId'?: (string);
  'priority'?: (number);
  'queueTimeoutUs'?: (number | string | Long);
  'includeFeatures'?: (boolean);
  'includeReasons'?: (boolean);
}

export interface ScoreRequest__Output {
  'model': (string);
  'version': (string);
  'entityKeys': ({[key: string]: _tally_common_v1_Value__Output});
  'context': ({[key: string]: _tally_common_v1_Value__Output});
  'requestId': (string);
  'priority': (number);
  'queueTimeoutUs': (number);
  'includeFeatures': (boolean);
  'includeReasons': (boolean);
}
