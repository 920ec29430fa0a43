// Original file: proto/tally/feature/v1/feature_service.proto

export const StoreErrorPolicy = {
  STORE_ERROR_POLICY_UNSPECIFIED: 'STORE_ERROR_POLICY_UNSPECIFIED',
  STORE_ERROR_POLICY_FAIL: 'STORE_ERROR_POLICY_FAIL',
  STORE_ERROR_POLICY_DEFAULT: 'STORE_ERROR_POLICY_DEFAULT',
} as const;

export type StoreErrorPolicy =
  | 'STORE_ERROR_POLICY_UNSPECIFIED'
  | 0
  | 'STORE_ERROR_POLICY_FAIL'
  | 1
  | 'STORE_ERROR_POLICY_DEFAULT'
  | 2

export type StoreErrorPolicy__Output = typeof StoreErrorPolicy[keyof typeof StoreErrorPolicy]
