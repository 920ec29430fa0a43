// Original file: proto/tally/feature/v1/feature_service.proto

import type { FeatureStatus as _tally_feature_v1_FeatureStatus, FeatureStatus__Output as _tally_feature_v1_FeatureStatus__Output } from '../../../tally/feature/v1/FeatureStatus';
import type { Long } from '@grpc/proto-loader';

export interface FeatureVector {
  'values'?: (number | string)[];
  'statuses'?: (_tally_feature_v1_FeatureStatus)[];
  'eventTimesUnixMs'?: (number | string | Long)[];
}

export interface FeatureVector__Output {
  'values': (number)[];
  'statuses': (_tally_feature_v1_FeatureStatus__Output)[];
  'eventTimesUnixMs': (number)[];
}
