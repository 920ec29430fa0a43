// Original file: proto/tally/common/v1/value.proto

export const NullValue = {
  NULL_VALUE: 'NULL_VALUE',
} as const;

export type NullValue =
  | 'NULL_VALUE'
  | 0

export type NullValue__Output = typeof NullValue[keyof typeof NullValue]
