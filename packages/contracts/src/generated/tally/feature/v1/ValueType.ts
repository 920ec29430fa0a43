// Original file: proto/tally/feature/v1/feature_service.proto

export const ValueType = {
  VALUE_TYPE_UNSPECIFIED: 'VALUE_TYPE_UNSPECIFIED',
  VALUE_TYPE_FLOAT: 'VALUE_TYPE_FLOAT',
  VALUE_TYPE_INT: 'VALUE_TYPE_INT',
  VALUE_TYPE_BOOL: 'VALUE_TYPE_BOOL',
  VALUE_TYPE_CATEGORICAL: 'VALUE_TYPE_CATEGORICAL',
  VALUE_TYPE_STRING: 'VALUE_TYPE_STRING',
} as const;

export type ValueType =
  | 'VALUE_TYPE_UNSPECIFIED'
  | 0
  | 'VALUE_TYPE_FLOAT'
  | 1
  | 'VALUE_TYPE_INT'
  | 2
  | 'VALUE_TYPE_BOOL'
  | 3
  | 'VALUE_TYPE_CATEGORICAL'
  | 4
  | 'VALUE_TYPE_STRING'
  | 5

export type ValueType__Output = typeof ValueType[keyof typeof ValueType]
