// Original file: proto/tally/feature/v1/feature_service.proto

import type { FeatureRow as _tally_feature_v1_FeatureRow, FeatureRow__Output as _tally_feature_v1_FeatureRow__Output } from '../../../tally/feature/v1/FeatureRow';

export interface WriteFeatureRowsRequest {
  'featureView'?: (string);
  'rows'?: (_tally_feature_v1_FeatureRow)[];
}

export interface WriteFeatureRowsRequest__Output {
  'featureView': (string);
  'rows': (_tally_feature_v1_FeatureRow__Output)[];
}
