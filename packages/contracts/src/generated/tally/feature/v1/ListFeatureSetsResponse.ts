// Original file: proto/tally/feature/v1/feature_service.proto

import type { FeatureSetSummary as _tally_feature_v1_FeatureSetSummary, FeatureSetSummary__Output as _tally_feature_v1_FeatureSetSummary__Output } from '../../../tally/feature/v1/FeatureSetSummary';

export interface ListFeatureSetsResponse {
  'featureSets'?: (_tally_feature_v1_FeatureSetSummary)[];
}

export interface ListFeatureSetsResponse__Output {
  'featureSets': (_tally_feature_v1_FeatureSetSummary__Output)[];
}
