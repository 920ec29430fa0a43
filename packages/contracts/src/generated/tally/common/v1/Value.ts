// Original file: proto/tally/common/v1/value.proto

import type { NullValue as _tally_common_v1_NullValue, NullValue__Output as _tally_common_v1_NullValue__Output } from '../../../tally/common/v1/NullValue';
import type { Long } from '@grpc/proto-loader';

export interface Value {
  'doubleValue'?: (number | string);
  'int64Value'?: (number | string | Long);
  'boolValue'?: (boolean);
  'stringValue'?: (string);
  'nullValue'?: (_tally_common_v1_NullValue);
  'kind'?: "doubleValue"|"int64Value"|"boolValue"|"stringValue"|"nullValue";
}

export interface Value__Output {
  'doubleValue'?: (number);
  'int64Value'?: (number);
  'boolValue'?: (boolean);
  'stringValue'?: (string);
  'nullValue'?: (_tally_common_v1_NullValue__Output);
  'kind'?: "doubleValue"|"int64Value"|"boolValue"|"stringValue"|"nullValue";
}
