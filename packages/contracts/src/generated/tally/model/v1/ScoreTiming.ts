// Original file: proto/tally/model/v1/scoring_service.proto

import type { Long } from '@grpc/proto-loader';

export interface ScoreTiming {
  'featuresUs'?: (number | string | Long);
  'queueUs'?: (number | string | Long);
  'computeUs'?: (number | string | Long);
  'totalUs'?: (number | string | Long);
}

export interface ScoreTiming__Output {
  'featuresUs': (number);
  'queueUs': (number);
  'computeUs': (number);
  'totalUs': (number);
}
