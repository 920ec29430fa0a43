// Original file: proto/tally/feature/v1/feature_service.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { DescribeFeatureSetRequest as _tally_feature_v1_DescribeFeatureSetRequest, DescribeFeatureSetRequest__Output as _tally_feature_v1_DescribeFeatureSetRequest__Output } from '../../../tally/feature/v1/DescribeFeatureSetRequest';
import type { DescribeFeatureSetResponse as _tally_feature_v1_DescribeFeatureSetResponse, DescribeFeatureSetResponse__Output as _tally_feature_v1_DescribeFeatureSetResponse__Output } from '../../../tally/feature/v1/DescribeFeatureSetResponse';
import type { GetFeatureVectorsRequest as _tally_feature_v1_GetFeatureVectorsRequest, GetFeatureVectorsRequest__Output as _tally_feature_v1_GetFeatureVectorsRequest__Output } from '../../../tally/feature/v1/GetFeatureVectorsRequest';
import type { GetFeatureVectorsResponse as _tally_feature_v1_GetFeatureVectorsResponse, GetFeatureVectorsResponse__Output as _tally_feature_v1_GetFeatureVectorsResponse__Output } from '../../../tally/feature/v1/GetFeatureVectorsResponse';
import type { ListFeatureSetsRequest as _tally_feature_v1_ListFeatureSetsRequest, ListFeatureSetsRequest__Output as _tally_feature_v1_ListFeatureSetsRequest__Output } from '../../../tally/feature/v1/ListFeatureSetsRequest';
import type { ListFeatureSetsResponse as _tally_feature_v1_ListFeatureSetsResponse, ListFeatureSetsResponse__Output as _tally_feature_v1_ListFeatureSetsResponse__Output } from '../../../tally/feature/v1/ListFeatureSetsResponse';
import type { WriteEventsRequest as _tally_feature_v1_WriteEventsRequest, WriteEventsRequest__Output as _tally_feature_v1_WriteEventsRequest__Output } from '../../../tally/feature/v1/WriteEventsRequest';
import type { WriteEventsResponse as _tally_feature_v1_WriteEventsResponse, WriteEventsResponse__Output as _tally_feature_v1_WriteEventsResponse__Output } from '../../../tally/feature/v1/WriteEventsResponse';
import type { WriteFeatureRowsRequest as _tally_feature_v1_WriteFeatureRowsRequest, WriteFeatureRowsRequest__Output as _tally_feature_v1_WriteFeatureRowsRequest__Output } from '../../../tally/feature/v1/WriteFeatureRowsRequest';
import type { WriteFeatureRowsResponse as _tally_feature_v1_WriteFeatureRowsResponse, WriteFeatureRowsResponse__Output as _tally_feature_v1_WriteFeatureRowsResponse__Output } from '../../../tally/feature/v1/WriteFeatureRowsResponse';

export interface FeatureServiceClient extends grpc.Client {
  DescribeFeatureSet(argument: _tally_feature_v1_DescribeFeatureSetRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tally_feature_v1_DescribeFeatureSetResponse__Output>): grpc.ClientUnaryCall;
  DescribeFeatureSet(argument: _tally_feature_v1_DescribeFeatureSetRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tally_feature_v1_DescribeFeatureSetResponse__Output>): grpc.ClientUnaryCall;
  DescribeFeatureSet(argument: _tally_feature_v1_DescribeFeatureSetRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tally_feature_v1_DescribeFeatureSetResponse__Output>): grpc.ClientUnaryCall;
  DescribeFeatureSet(argument: _tally_feature_v1_DescribeFeatureSetRequest, callback: grpc.requestCallback<_tally_feature_v1_DescribeFeatureSetResponse__Output>): grpc.ClientUnaryCall;
  describeFeatureSet(argument: _tally_feature_v1_DescribeFeatureSetRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tally_feature_v1_DescribeFeatureSetResponse__Output>): grpc.ClientUnaryCall;
  describeFeatureSet(argument: _tally_feature_v1_DescribeFeatureSetRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tally_feature_v1_DescribeFeatureSetResponse__Output>): grpc.ClientUnaryCall;
  describeFeatureSet(argument: _tally_feature_v1_DescribeFeatureSetRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tally_feature_v1_DescribeFeatureSetResponse__Output>): grpc.ClientUnaryCall;
  describeFeatureSet(argument: _tally_feature_v1_DescribeFeatureSetRequest, callback: grpc.requestCallback<_tally_feature_v1_DescribeFeatureSetResponse__Output>): grpc.ClientUnaryCall;
  
  GetFeatureVectors(argument: _tally_feature_v1_GetFeatureVectorsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tally_feature_v1_GetFeatureVectorsResponse__Output>): grpc.ClientUnaryCall;
  GetFeatureVectors(argument: _tally_feature_v1_GetFeatureVectorsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tally_feature_v1_GetFeatureVectorsResponse__Output>): grpc.ClientUnaryCall;
  GetFeatureVectors(argument: _tally_feature_v1_GetFeatureVectorsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tally_feature_v1_GetFeatureVectorsResponse__Output>): grpc.ClientUnaryCall;
  GetFeatureVectors(argument: _tally_feature_v1_GetFeatureVectorsRequest, callback: grpc.requestCallback<_tally_feature_v1_GetFeatureVectorsResponse__Output>): grpc.ClientUnaryCall;
  getFeatureVectors(argument: _tally_feature_v1_GetFeatureVectorsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tally_feature_v1_GetFeatureVectorsResponse__Output>): grpc.ClientUnaryCall;
  getFeatureVectors(argument: _tally_feature_v1_GetFeatureVectorsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tally_feature_v1_GetFeatureVectorsResponse__Output>): grpc.ClientUnaryCall;
  getFeatureVectors(argument: _tally_feature_v1_GetFeatureVectorsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tally_feature_v1_GetFeatureVectorsResponse__Output>): grpc.ClientUnaryCall;
  getFeatureVectors(argument: _tally_feature_v1_GetFeatureVectorsRequest, callback: grpc.requestCallback<_tally_feature_v1_GetFeatureVectorsResponse__Output>): grpc.ClientUnaryCall;
  
  ListFeatureSets(argument: _tally_feature_v1_ListFeatureSetsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tally_feature_v1_ListFeatureSetsResponse__Output>): grpc.ClientUnaryCall;
  ListFeatureSets(argument: _tally_feature_v1_ListFeatureSetsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tally_feature_v1_ListFeatureSetsResponse__Output>): grpc.ClientUnaryCall;
  ListFeatureSets(argument: _tally_feature_v1_ListFeatureSetsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tally_feature_v1_ListFeatureSetsResponse__Output>): grpc.ClientUnaryCall;
  ListFeatureSets(argument: _tally_feature_v1_ListFeatureSetsRequest, callback: grpc.requestCallback<_tally_feature_v1_ListFeatureSetsResponse__Output>): grpc.ClientUnaryCall;
  listFeatureSets(argument: _tally_feature_v1_ListFeatureSetsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tally_feature_v1_ListFeatureSetsResponse__Output>): grpc.ClientUnaryCall;
  listFeatureSets(argument: _tally_feature_v1_ListFeatureSetsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tally_feature_v1_ListFeatureSetsResponse__Output>): grpc.ClientUnaryCall;
  listFeatureSets(argument: _tally_feature_v1_ListFeatureSetsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tally_feature_v1_ListFeatureSetsResponse__Output>): grpc.ClientUnaryCall;
  listFeatureSets(argument: _tally_feature_v1_ListFeatureSetsRequest, callback: grpc.requestCallback<_tally_feature_v1_ListFeatureSetsResponse__Output>): grpc.ClientUnaryCall;
  
  WriteEvents(argument: _tally_feature_v1_WriteEventsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tally_feature_v1_WriteEventsResponse__Output>): grpc.ClientUnaryCall;
  WriteEvents(argument: _tally_feature_v1_WriteEventsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tally_feature_v1_WriteEventsResponse__Output>): grpc.ClientUnaryCall;
  WriteEvents(argument: _tally_feature_v1_WriteEventsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tally_feature_v1_WriteEventsResponse__Output>): grpc.ClientUnaryCall;
  WriteEvents(argument: _tally_feature_v1_WriteEventsRequest, callback: grpc.requestCallback<_tally_feature_v1_WriteEventsResponse__Output>): grpc.ClientUnaryCall;
  writeEvents(argument: _tally_feature_v1_WriteEventsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tally_feature_v1_WriteEventsResponse__Output>): grpc.ClientUnaryCall;
  writeEvents(argument: _tally_feature_v1_WriteEventsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tally_feature_v1_WriteEventsResponse__Output>): grpc.ClientUnaryCall;
  writeEvents(argument: _tally_feature_v1_WriteEventsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tally_feature_v1_WriteEventsResponse__Output>): grpc.ClientUnaryCall;
  writeEvents(argument: _tally_feature_v1_WriteEventsRequest, callback: grpc.requestCallback<_tally_feature_v1_WriteEventsResponse__Output>): grpc.ClientUnaryCall;
  
  WriteFeatureRows(argument: _tally_feature_v1_WriteFeatureRowsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tally_feature_v1_WriteFeatureRowsResponse__Output>): grpc.ClientUnaryCall;
  WriteFeatureRows(argument: _tally_feature_v1_WriteFeatureRowsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tally_feature_v1_WriteFeatureRowsResponse__Output>): grpc.ClientUnaryCall;
  WriteFeatureRows(argument: _tally_feature_v1_WriteFeatureRowsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tally_feature_v1_WriteFeatureRowsResponse__Output>): grpc.ClientUnaryCall;
  WriteFeatureRows(argument: _tally_feature_v1_WriteFeatureRowsRequest, callback: grpc.requestCallback<_tally_feature_v1_WriteFeatureRowsResponse__Output>): grpc.ClientUnaryCall;
  writeFeatureRows(argument: _tally_feature_v1_WriteFeatureRowsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tally_feature_v1_WriteFeatureRowsResponse__Output>): grpc.ClientUnaryCall;
  writeFeatureRows(argument: _tally_feature_v1_WriteFeatureRowsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tally_feature_v1_WriteFeatureRowsResponse__Output>): grpc.ClientUnaryCall;
  writeFeatureRows(argument: _tally_feature_v1_WriteFeatureRowsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tally_feature_v1_WriteFeatureRowsResponse__Output>): grpc.ClientUnaryCall;
  writeFeatureRows(argument: _tally_feature_v1_WriteFeatureRowsRequest, callback: grpc.requestCallback<_tally_feature_v1_WriteFeatureRowsResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface FeatureServiceHandlers extends grpc.UntypedServiceImplementation {
  DescribeFeatureSet: grpc.handleUnaryCall<_tally_feature_v1_DescribeFeatureSetRequest__Output, _tally_feature_v1_DescribeFeatureSetResponse>;
  
  GetFeatureVectors: grpc.handleUnaryCall<_tally_feature_v1_GetFeatureVectorsRequest__Output, _tally_feature_v1_GetFeatureVectorsResponse>;
  
  ListFeatureSets: grpc.handleUnaryCall<_tally_feature_v1_ListFeatureSetsRequest__Output, _tally_feature_v1_ListFeatureSetsResponse>;
  
  WriteEvents: grpc.handleUnaryCall<_tally_feature_v1_WriteEventsRequest__Output, _tally_feature_v1_WriteEventsResponse>;
  
  WriteFeatureRows: grpc.handleUnaryCall<_tally_feature_v1_WriteFeatureRowsRequest__Output, _tally_feature_v1_WriteFeatureRowsResponse>;
  
}

export interface FeatureServiceDefinition extends grpc.ServiceDefinition {
  DescribeFeatureSet: MethodDefinition<_tally_feature_v1_DescribeFeatureSetRequest, _tally_feature_v1_DescribeFeatureSetResponse, _tally_feature_v1_DescribeFeatureSetRequest__Output, _tally_feature_v1_DescribeFeatureSetResponse__Output>
  GetFeatureVectors: MethodDefinition<_tally_feature_v1_GetFeatureVectorsRequest, _tally_feature_v1_GetFeatureVectorsResponse, _tally_feature_v1_GetFeatureVectorsRequest__Output, _tally_feature_v1_GetFeatureVectorsResponse__Output>
  ListFeatureSets: MethodDefinition<_tally_feature_v1_ListFeatureSetsRequest, _tally_feature_v1_ListFeatureSetsResponse, _tally_feature_v1_ListFeatureSetsRequest__Output, _tally_feature_v1_ListFeatureSetsResponse__Output>
  WriteEvents: MethodDefinition<_tally_feature_v1_WriteEventsRequest, _tally_feature_v1_WriteEventsResponse, _tally_feature_v1_WriteEventsRequest__Output, _tally_feature_v1_WriteEventsResponse__Output>
  WriteFeatureRows: MethodDefinition<_tally_feature_v1_WriteFeatureRowsRequest, _tally_feature_v1_WriteFeatureRowsResponse, _tally_feature_v1_WriteFeatureRowsRequest__Output, _tally_feature_v1_WriteFeatureRowsResponse__Output>
}
