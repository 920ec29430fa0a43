// Original file: proto/tally/model/v1/decision_log.proto

import type { Value as _tally_common_v1_Value, Value__Output as _tally_common_v1_Value__Output } from '../../../tally/common/v1/Value';
import type { ScoreResponse as _tally_model_v1_ScoreResponse, ScoreResponse__Output as _tally_model_v1_ScoreResponse__Output } from '../../../tally/model/v1/ScoreResponse';
import type { Long } from '@grpc/proto-loader';

export interface Decision {
  'requestId'?: (string);
  'role'?: (string);
  'decidedAtUnixMs'?: (number | string | Long);
  'caller'?: (string);
  'model'?: (string);
  'version'?: (string);
  'featureSet'?: (string);
  'featureSetFingerprint'?: (string);
  'entityKeys'?: ({[key: string]: _tally_common_v1_Value});
  'context'?: ({[key: string]: _tally_common_v1_Value});
  'columns'?: (string)[];
  'featureValues'?: (number | string)[];
  'featureStatuses'?: (string)[];
  'featureEventTimesUnixMs'?: (number | string | Long)[];
  'score'?: (number | string);
  'traceId'?: (string);
  'response'?: (_tally_model_v1_ScoreResponse | null);
}

export interface Decision__Output {
  'requestId': (string);
  'role': (string);
  'decidedAtUnixMs': (number);
  'caller': (string);
  'model': (string);
  'version': (string);
  'featureSet': (string);
  'featureSetFingerprint': (string);
  'entityKeys': ({[key: string]: _tally_common_v1_Value__Output});
  'context': ({[key: string]: _tally_common_v1_Value__Output});
  'columns': (string)[];
  'featureValues': (number)[];
  'featureStatuses': (string)[];
  'featureEventTimesUnixMs': (number)[];
  'score': (number);
  'traceId': (string);
  'response': (_tally_model_v1_ScoreResponse__Output | null);
}
