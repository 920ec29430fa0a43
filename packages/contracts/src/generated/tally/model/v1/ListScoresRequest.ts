// Original file: proto/tally/model/v1/decision_log.proto

import type { Long } from '@grpc/proto-loader';

export interface ListScoresRequest {
  'model'?: (string);
  'version'?: (string);
  'sinceUnixMs'?: (number | string | Long);
  'untilUnixMs'?: (number | string | Long);
  'limit'?: (number);
}

export interface ListScoresRequest__Output {
  'model': (string);
  'version': (string);
  'sinceUnixMs': (number);
  'untilUnixMs': (number);
  'limit': (number);
}
