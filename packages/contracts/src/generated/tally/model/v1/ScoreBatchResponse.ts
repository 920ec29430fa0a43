// Original file: proto/tally/model/v1/scoring_service.proto

import type { ScoreResponse as _tally_model_v1_ScoreResponse, ScoreResponse__Output as _tally_model_v1_ScoreResponse__Output } from '../../../tally/model/v1/ScoreResponse';

export interface ScoreBatchResponse {
  'results'?: (_tally_model_v1_ScoreResponse)[];
}

export interface ScoreBatchResponse__Output {
  'results': (_tally_model_v1_ScoreResponse__Output)[];
}
