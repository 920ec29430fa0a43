// Original file: proto/tally/feature/v1/feature_service.proto

import type { FeatureVector as _tally_feature_v1_FeatureVector, FeatureVector__Output as _tally_feature_v1_FeatureVector__Output } from '../../../tally/feature/v1/FeatureVector';

export interface GetFeatureVectorsResponse {
  'featureSet'?: (string);
  'columns'?: (string)[];
  'vectors'?: (_tally_feature_v1_FeatureVector)[];
  'featureSetFingerprint'?: (string);
}

export interface GetFeatureVectorsResponse__Output {
  'featureSet': (string);
  'columns': (string)[];
  'vectors': (_tally_feature_v1_FeatureVector__Output)[];
  'featureSetFingerprint': (string);
}
