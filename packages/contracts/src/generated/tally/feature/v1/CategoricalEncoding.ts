// Original file: proto/tally/feature/v1/feature_service.proto

export const CategoricalEncoding = {
  CATEGORICAL_ENCODING_UNSPECIFIED: 'CATEGORICAL_ENCODING_UNSPECIFIED',
  CATEGORICAL_ENCODING_ORDINAL: 'CATEGORICAL_ENCODING_ORDINAL',
  CATEGORICAL_ENCODING_ONE_HOT: 'CATEGORICAL_ENCODING_ONE_HOT',
} as const;

export type CategoricalEncoding =
  | 'CATEGORICAL_ENCODING_UNSPECIFIED'
  | 0
  | 'CATEGORICAL_ENCODING_ORDINAL'
  | 1
  | 'CATEGORICAL_ENCODING_ONE_HOT'
  | 2

export type CategoricalEncoding__Output = typeof CategoricalEncoding[keyof typeof CategoricalEncoding]
