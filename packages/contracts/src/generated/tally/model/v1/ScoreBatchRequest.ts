// Original file: proto/tally/model/v1/scoring_service.proto

import type { ScoreItem as _tally_model_v1_ScoreItem, ScoreItem__Output as _tally_model_v1_ScoreItem__Output } from '../../../tally/model/v1/ScoreItem';
import type { Long } from '@grpc/proto-loader';

export interface ScoreBatchRequest {
  'model'?: (string);
  'version'?: (string);
  'items'?: (_tally_model_v1_ScoreItem)[];
  'priority'?: (number);
  'queueTimeoutUs'?: (number | string | Long);
  'includeReasons'?: (boolean);
}

export interface ScoreBatchRequest__Output {
  'model': (string);
  'version': (string);
  'items': (_tally_model_v1_ScoreItem__Output)[];
  'priority': (number);
  'queueTimeoutUs': (number);
  'includeReasons': (boolean);
}
