// Original file: proto/tally/feature/v1/feature_service.proto

import type { EntityKeySpec as _tally_feature_v1_EntityKeySpec, EntityKeySpec__Output as _tally_feature_v1_EntityKeySpec__Output } from '../../../tally/feature/v1/EntityKeySpec';
import type { FeatureSpec as _tally_feature_v1_FeatureSpec, FeatureSpec__Output as _tally_feature_v1_FeatureSpec__Output } from '../../../tally/feature/v1/FeatureSpec';
import type { ContextField as _tally_feature_v1_ContextField, ContextField__Output as _tally_feature_v1_ContextField__Output } from '../../../tally/feature/v1/ContextField';

export interface FeatureSetSchema {
  'name'?: (string);
  'description'?: (string);
  'entityKeys'?: (_tally_feature_v1_EntityKeySpec)[];
  'features'?: (_tally_feature_v1_FeatureSpec)[];
  'columns'?: (string)[];
  'contextFields'?: (_tally_feature_v1_ContextField)[];
  'fingerprint'?: (string);
  'eventSources'?: (string)[];
}

export interface FeatureSetSchema__Output {
  'name': (string);
  'description': (string);
  'entityKeys': (_tally_feature_v1_EntityKeySpec__Output)[];
  'features': (_tally_feature_v1_FeatureSpec__Output)[];
  'columns': (string)[];
  'contextFields': (_tally_feature_v1_ContextField__Output)[];
  'fingerprint': (string);
  'eventSources': (string)[];
}
