// Original file: proto/tally/feature/v1/feature_service.proto

import type { FeatureSource as _tally_feature_v1_FeatureSource, FeatureSource__Output as _tally_feature_v1_FeatureSource__Output } from '../../../tally/feature/v1/FeatureSource';
import type { ValueType as _tally_feature_v1_ValueType, ValueType__Output as _tally_feature_v1_ValueType__Output } from '../../../tally/feature/v1/ValueType';
import type { Value as _tally_common_v1_Value, Value__Output as _tally_common_v1_Value__Output } from '../../../tally/common/v1/Value';
import type { CategoricalEncoding as _tally_feature_v1_CategoricalEncoding, CategoricalEncoding__Output as _tally_feature_v1_CategoricalEncoding__Output } from '../../../tally/feature/v1/CategoricalEncoding';
import type { Long } from '@grpc/proto-loader';

export interface FeatureSpec {
  'name'?: (string);
  'source'?: (_tally_feature_v1_FeatureSource);
  'view'?: (string);
  'type'?: (_tally_feature_v1_ValueType);
  'defaultValue'?: (_tally_common_v1_Value | null);
  'levels'?: (string)[];
  'encoding'?: (_tally_feature_v1_CategoricalEncoding);
  'columns'?: (string)[];
  'maxAgeMs'?: (number | string | Long);
  'description'?: (string);
  'eventSource'?: (string);
  'aggregation'?: (string);
  'field'?: (string);
  'windowMs'?: (number | string | Long);
  'tileMs'?: (number | string | Long);
  'filter'?: (string);
}

export interface FeatureSpec__Output {
  'name': (string);
  'source': (_tally_feature_v1_FeatureSource__Output);
  'view': (string);
  'type': (_tally_feature_v1_ValueType__Output);
  'defaultValue': (_tally_common_v1_Value__Output | null);
  'levels': (string)[];
  'encoding': (_tally_feature_v1_CategoricalEncoding__Output);
  'columns': (string)[];
  'maxAgeMs': (number);
  'description': (string);
  'eventSource': (string);
  'aggregation': (string);
  'field': (string);
  'windowMs': (number);
  'tileMs': (number);
  'filter': (string);
}
