import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { Value as _tally_common_v1_Value, Value__Output as _tally_common_v1_Value__Output } from './tally/common/v1/Value';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  tally: {
    common: {
      v1: {
        NullValue: EnumTypeDefinition
        Value: MessageTypeDefinition<_tally_common_v1_Value, _tally_common_v1_Value__Output>
      }
    }
  }
}

