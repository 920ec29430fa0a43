// Original file: proto/tally/feature/v1/feature_service.proto

export const FeatureSource = {
  FEATURE_SOURCE_UNSPECIFIED: 'FEATURE_SOURCE_UNSPECIFIED',
  FEATURE_SOURCE_STORED: 'FEATURE_SOURCE_STORED',
  FEATURE_SOURCE_REQUEST: 'FEATURE_SOURCE_REQUEST',
  FEATURE_SOURCE_ON_DEMAND: 'FEATURE_SOURCE_ON_DEMAND',
  FEATURE_SOURCE_AGGREGATION: 'FEATURE_SOURCE_AGGREGATION',
} as const;

export type FeatureSource =
  | 'FEATURE_SOURCE_UNSPECIFIED'
  | 0
  | 'FEATURE_SOURCE_STORED'
  | 1
  | 'FEATURE_SOURCE_REQUEST'
  | 2
  | 'FEATURE_SOURCE_ON_DEMAND'
  | 3
  | 'FEATURE_SOURCE_AGGREGATION'
  | 4

export type FeatureSource__Output = typeof FeatureSource[keyof typeof FeatureSource]
