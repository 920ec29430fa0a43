// Original file: proto/tally/feature/v1/feature_service.proto

import type { FeatureSetSchema as _tally_feature_v1_FeatureSetSchema, FeatureSetSchema__Output as _tally_feature_v1_FeatureSetSchema__Output } from '../../../tally/feature/v1/FeatureSetSchema';

export interface DescribeFeatureSetResponse {
  'featureSet'?: (_tally_feature_v1_FeatureSetSchema | null);
}

export interface DescribeFeatureSetResponse__Output {
  'featureSet': (_tally_feature_v1_FeatureSetSchema__Output | null);
}
