// Original file: proto/tally/feature/v1/feature_service.proto

import type { EntityRow as _tally_feature_v1_EntityRow, EntityRow__Output as _tally_feature_v1_EntityRow__Output } from '../../../tally/feature/v1/EntityRow';
import type { Value as _tally_common_v1_Value, Value__Output as _tally_common_v1_Value__Output } from '../../../tally/common/v1/Value';
import type { StoreErrorPolicy as _tally_feature_v1_StoreErrorPolicy, StoreErrorPolicy__Output as _tally_feature_v1_StoreErrorPolicy__Output } from '../../../tally/feature/v1/StoreErrorPolicy';

export interface GetFeatureVectorsRequest {
  'featureSet'?: (string);
  'entities'?: (_tally_feature_v1_EntityRow)[];
  'context'?: ({[key: string]: _tally_common_v1_Value});
  'storeErrorPolicy'?: (_tally_feature_v1_StoreErrorPolicy);
}

export interface GetFeatureVectorsRequest__Output {
  'featureSet': (string);
  'entities': (_tally_feature_v1_EntityRow__Output)[];
  'context': ({[key: string]: _tally_common_v1_Value__Output});
  'storeErrorPolicy': (_tally_feature_v1_StoreErrorPolicy__Output);
}
