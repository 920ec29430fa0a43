import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { Value as _tally_common_v1_Value, Value__Output as _tally_common_v1_Value__Output } from './tally/common/v1/Value';
import type { ContextField as _tally_feature_v1_ContextField, ContextField__Output as _tally_feature_v1_ContextField__Output } from './tally/feature/v1/ContextField';
import type { DescribeFeatureSetRequest as _tally_feature_v1_DescribeFeatureSetRequest, DescribeFeatureSetRequest__Output as _tally_feature_v1_DescribeFeatureSetRequest__Output } from './tally/feature/v1/DescribeFeatureSetRequest';
import type { DescribeFeatureSetResponse as _tally_feature_v1_DescribeFeatureSetResponse, DescribeFeatureSetResponse__Output as _tally_feature_v1_DescribeFeatureSetResponse__Output } from './tally/feature/v1/DescribeFeatureSetResponse';
import type { EntityKeySpec as _tally_feature_v1_EntityKeySpec, EntityKeySpec__Output as _tally_feature_v1_EntityKeySpec__Output } from './tally/feature/v1/EntityKeySpec';
import type { EntityRow as _tally_feature_v1_EntityRow, EntityRow__Output as _tally_feature_v1_EntityRow__Output } from './tally/feature/v1/EntityRow';
import type { Event as _tally_feature_v1_Event, Event__Output as _tally_feature_v1_Event__Output } from './tally/feature/v1/Event';
import type { FeatureRow as _tally_feature_v1_FeatureRow, FeatureRow__Output as _tally_feature_v1_FeatureRow__Output } from './tally/feature/v1/FeatureRow';
import type { FeatureServiceClient as _tally_feature_v1_FeatureServiceClient, FeatureServiceDefinition as _tally_feature_v1_FeatureServiceDefinition } from './tally/feature/v1/FeatureService';
import type { FeatureSetSchema as _tally_feature_v1_FeatureSetSchema, FeatureSetSchema__Output as _tally_feature_v1_FeatureSetSchema__Output } from './tally/feature/v1/FeatureSetSchema';
import type { FeatureSetSummary as _tally_feature_v1_FeatureSetSummary, FeatureSetSummary__Output as _tally_feature_v1_FeatureSetSummary__Output } from './tally/feature/v1/FeatureSetSummary';
import type { FeatureSpec as _tally_feature_v1_FeatureSpec, FeatureSpec__Output as _tally_feature_v1_FeatureSpec__Output } from './tally/feature/v1/FeatureSpec';
import type { FeatureVector as _tally_feature_v1_FeatureVector, FeatureVector__Output as _tally_feature_v1_FeatureVector__Output } from './tally/feature/v1/FeatureVector';
import type { GetFeatureVectorsRequest as _tally_feature_v1_GetFeatureVectorsRequest, GetFeatureVectorsRequest__Output as _tally_feature_v1_GetFeatureVectorsRequest__Output } from './tally/feature/v1/GetFeatureVectorsRequest';
import type { GetFeatureVectorsResponse as _tally_feature_v1_GetFeatureVectorsResponse, GetFeatureVectorsResponse__Output as _tally_feature_v1_GetFeatureVectorsResponse__Output } from './tally/feature/v1/GetFeatureVectorsResponse';
import type { ListFeatureSetsRequest as _tally_feature_v1_ListFeatureSetsRequest, ListFeatureSetsRequest__Output as _tally_feature_v1_ListFeatureSetsRequest__Output } from './tally/feature/v1/ListFeatureSetsRequest';
import type { ListFeatureSetsResponse as _tally_feature_v1_ListFeatureSetsResponse, ListFeatureSetsResponse__Output as _tally_feature_v1_ListFeatureSetsResponse__Output } from './tally/feature/v1/ListFeatureSetsResponse';
import type { WriteEventsRequest as _tally_feature_v1_WriteEventsRequest, WriteEventsRequest__Output as _tally_feature_v1_WriteEventsRequest__Output } from './tally/feature/v1/WriteEventsRequest';
import type { WriteEventsResponse as _tally_feature_v1_WriteEventsResponse, WriteEventsResponse__Output as _tally_feature_v1_WriteEventsResponse__Output } from './tally/feature/v1/WriteEventsResponse';
import type { WriteFeatureRowsRequest as _tally_feature_v1_WriteFeatureRowsRequest, WriteFeatureRowsRequest__Output as _tally_feature_v1_WriteFeatureRowsRequest__Output } from './tally/feature/v1/WriteFeatureRowsRequest';
import type { WriteFeatureRowsResponse as _tally_feature_v1_WriteFeatureRowsResponse, WriteFeatureRowsResponse__Output as _tally_feature_v1_WriteFeatureRowsResponse__Output } from './tally/feature/v1/WriteFeatureRowsResponse';

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
    feature: {
      v1: {
        CategoricalEncoding: EnumTypeDefinition
        ContextField: MessageTypeDefinition<_tally_feature_v1_ContextField, _tally_feature_v1_ContextField__Output>
        DescribeFeatureSetRequest: MessageTypeDefinition<_tally_feature_v1_DescribeFeatureSetRequest, _tally_feature_v1_DescribeFeatureSetRequest__Output>
        DescribeFeatureSetResponse: MessageTypeDefinition<_tally_feature_v1_DescribeFeatureSetResponse, _tally_feature_v1_DescribeFeatureSetResponse__Output>
        EntityKeySpec: MessageTypeDefinition<_tally_feature_v1_EntityKeySpec, _tally_feature_v1_EntityKeySpec__Output>
        EntityRow: MessageTypeDefinition<_tally_feature_v1_EntityRow, _tally_feature_v1_EntityRow__Output>
        Event: MessageTypeDefinition<_tally_feature_v1_Event, _tally_feature_v1_Event__Output>
        FeatureRow: MessageTypeDefinition<_tally_feature_v1_FeatureRow, _tally_feature_v1_FeatureRow__Output>
        FeatureService: SubtypeConstructor<typeof grpc.Client, _tally_feature_v1_FeatureServiceClient> & { service: _tally_feature_v1_FeatureServiceDefinition }
        FeatureSetSchema: MessageTypeDefinition<_tally_feature_v1_FeatureSetSchema, _tally_feature_v1_FeatureSetSchema__Output>
        FeatureSetSummary: MessageTypeDefinition<_tally_feature_v1_FeatureSetSummary, _tally_feature_v1_FeatureSetSummary__Output>
        FeatureSource: EnumTypeDefinition
        FeatureSpec: MessageTypeDefinition<_tally_feature_v1_FeatureSpec, _tally_feature_v1_FeatureSpec__Output>
        FeatureStatus: EnumTypeDefinition
        FeatureVector: MessageTypeDefinition<_tally_feature_v1_FeatureVector, _tally_feature_v1_FeatureVector__Output>
        GetFeatureVectorsRequest: MessageTypeDefinition<_tally_feature_v1_GetFeatureVectorsRequest, _tally_feature_v1_GetFeatureVectorsRequest__Output>
        GetFeatureVectorsResponse: MessageTypeDefinition<_tally_feature_v1_GetFeatureVectorsResponse, _tally_feature_v1_GetFeatureVectorsResponse__Output>
        ListFeatureSetsRequest: MessageTypeDefinition<_tally_feature_v1_ListFeatureSetsRequest, _tally_feature_v1_ListFeatureSetsRequest__Output>
        ListFeatureSetsResponse: MessageTypeDefinition<_tally_feature_v1_ListFeatureSetsResponse, _tally_feature_v1_ListFeatureSetsResponse__Output>
        StoreErrorPolicy: EnumTypeDefinition
        ValueType: EnumTypeDefinition
        WriteEventsRequest: MessageTypeDefinition<_tally_feature_v1_WriteEventsRequest, _tally_feature_v1_WriteEventsRequest__Output>
        WriteEventsResponse: MessageTypeDefinition<_tally_feature_v1_WriteEventsResponse, _tally_feature_v1_WriteEventsResponse__Output>
        WriteFeatureRowsRequest: MessageTypeDefinition<_tally_feature_v1_WriteFeatureRowsRequest, _tally_feature_v1_WriteFeatureRowsRequest__Output>
        WriteFeatureRowsResponse: MessageTypeDefinition<_tally_feature_v1_WriteFeatureRowsResponse, _tally_feature_v1_WriteFeatureRowsResponse__Output>
      }
    }
  }
}

