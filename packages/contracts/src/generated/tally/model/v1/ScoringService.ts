// Original file: proto/tally/model/v1/scoring_service.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { ListModelsRequest as _tally_model_v1_ListModelsRequest, ListModelsRequest__Output as _tally_model_v1_ListModelsRequest__Output } from '../../../tally/model/v1/ListModelsRequest';
import type { ListModelsResponse as _tally_model_v1_ListModelsResponse, ListModelsResponse__Output as _tally_model_v1_ListModelsResponse__Output } from '../../../tally/model/v1/ListModelsResponse';
import type { LoadModelRequest as _tally_model_v1_LoadModelRequest, LoadModelRequest__Output as _tally_model_v1_LoadModelRequest__Output } from '../../../tally/model/v1/LoadModelRequest';
import type { LoadModelResponse as _tally_model_v1_LoadModelResponse, LoadModelResponse__Output as _tally_model_v1_LoadModelResponse__Output } from '../../../tally/model/v1/LoadModelResponse';
import type { ScoreBatchRequest as _tally_model_v1_ScoreBatchRequest, ScoreBatchRequest__Output as _tally_model_v1_ScoreBatchRequest__Output } from '../../../tally/model/v1/ScoreBatchRequest';
import type { ScoreBatchResponse as _tally_model_v1_ScoreBatchResponse, ScoreBatchResponse__Output as _tally_model_v1_ScoreBatchResponse__Output } from '../../../tally/model/v1/ScoreBatchResponse';
import type { ScoreRequest as _tally_model_v1_ScoreRequest, ScoreRequest__Output as _tally_model_v1_ScoreRequest__Output } from '../../../tally/model/v1/ScoreRequest';
import type { ScoreResponse as _tally_model_v1_ScoreResponse, ScoreResponse__Output as _tally_model_v1_ScoreResponse__Output } from '../../../tally/model/v1/ScoreResponse';
import type { UnloadModelRequest as _tally_model_v1_UnloadModelRequest, UnloadModelRequest__Output as _tally_model_v1_UnloadModelRequest__Output } from '../../../tally/model/v1/UnloadModelRequest';
import type { UnloadModelResponse as _tally_model_v1_UnloadModelResponse, UnloadModelResponse__Output as _tally_model_v1_UnloadModelResponse__Output } from '../../../tally/model/v1/UnloadModelResponse';

export interface ScoringServiceClient extends grpc.Client {
  ListModels(argument: _tally_model_v1_ListModelsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tally_model_v1_ListModelsResponse__Output>): grpc.ClientUnaryCall;
  ListModels(argument: _tally_model_v1_ListModelsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tally_model_v1_ListModelsResponse__Output>): grpc.ClientUnaryCall;
  ListModels(argument: _tally_model_v1_ListModelsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tally_model_v1_ListModelsResponse__Output>): grpc.ClientUnaryCall;
  ListModels(argument: _tally_model_v1_ListModelsRequest, callback: grpc.requestCallback<_tally_model_v1_ListModelsResponse__Output>): grpc.ClientUnaryCall;
  listModels(argument: _tally_model_v1_ListModelsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tally_model_v1_ListModelsResponse__Output>): grpc.ClientUnaryCall;
  listModels(argument: _tally_model_v1_ListModelsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tally_model_v1_ListModelsResponse__Output>): grpc.ClientUnaryCall;
  listModels(argument: _tally_model_v1_ListModelsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tally_model_v1_ListModelsResponse__Output>): grpc.ClientUnaryCall;
  listModels(argument: _tally_model_v1_ListModelsRequest, callback: grpc.requestCallback<_tally_model_v1_ListModelsResponse__Output>): grpc.ClientUnaryCall;
  
  LoadModel(argument: _tally_model_v1_LoadModelRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tally_model_v1_LoadModelResponse__Output>): grpc.ClientUnaryCall;
  LoadModel(argument: _tally_model_v1_LoadModelRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tally_model_v1_LoadModelResponse__Output>): grpc.ClientUnaryCall;
  LoadModel(argument: _tally_model_v1_LoadModelRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tally_model_v1_LoadModelResponse__Output>): grpc.ClientUnaryCall;
  LoadModel(argument: _tally_model_v1_LoadModelRequest, callback: grpc.requestCallback<_tally_model_v1_LoadModelResponse__Output>): grpc.ClientUnaryCall;
  loadModel(argument: _tally_model_v1_LoadModelRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tally_model_v1_LoadModelResponse__Output>): grpc.ClientUnaryCall;
  loadModel(argument: _tally_model_v1_LoadModelRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tally_model_v1_LoadModelResponse__Output>): grpc.ClientUnaryCall;
  loadModel(argument: _tally_model_v1_LoadModelRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tally_model_v1_LoadModelResponse__Output>): grpc.ClientUnaryCall;
  loadModel(argument: _tally_model_v1_LoadModelRequest, callback: grpc.requestCallback<_tally_model_v1_LoadModelResponse__Output>): grpc.ClientUnaryCall;
  
  Score(argument: _tally_model_v1_ScoreRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tally_model_v1_ScoreResponse__Output>): grpc.ClientUnaryCall;
  Score(argument: _tally_model_v1_ScoreRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tally_model_v1_ScoreResponse__Output>): grpc.ClientUnaryCall;
  Score(argument: _tally_model_v1_ScoreRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tally_model_v1_ScoreResponse__Output>): grpc.ClientUnaryCall;
  Score(argument: _tally_model_v1_ScoreRequest, callback: grpc.requestCallback<_tally_model_v1_ScoreResponse__Output>): grpc.ClientUnaryCall;
  score(argument: _tally_model_v1_ScoreRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tally_model_v1_ScoreResponse__Output>): grpc.ClientUnaryCall;
  score(argument: _tally_model_v1_ScoreRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tally_model_v1_ScoreResponse__Output>): grpc.ClientUnaryCall;
  score(argument: _tally_model_v1_ScoreRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tally_model_v1_ScoreResponse__Output>): grpc.ClientUnaryCall;
  score(argument: _tally_model_v1_ScoreRequest, callback: grpc.requestCallback<_tally_model_v1_ScoreResponse__Output>): grpc.ClientUnaryCall;
  
  ScoreBatch(argument: _tally_model_v1_ScoreBatchRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tally_model_v1_ScoreBatchResponse__Output>): grpc.ClientUnaryCall;
  ScoreBatch(argument: _tally_model_v1_ScoreBatchRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tally_model_v1_ScoreBatchResponse__Output>): grpc.ClientUnaryCall;
  ScoreBatch(argument: _tally_model_v1_ScoreBatchRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tally_model_v1_ScoreBatchResponse__Output>): grpc.ClientUnaryCall;
  ScoreBatch(argument: _tally_model_v1_ScoreBatchRequest, callback: grpc.requestCallback<_tally_model_v1_ScoreBatchResponse__Output>): grpc.ClientUnaryCall;
  scoreBatch(argument: _tally_model_v1_ScoreBatchRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tally_model_v1_ScoreBatchResponse__Output>): grpc.ClientUnaryCall;
  scoreBatch(argument: _tally_model_v1_ScoreBatchRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tally_model_v1_ScoreBatchResponse__Output>): grpc.ClientUnaryCall;
  scoreBatch(argument: _tally_model_v1_ScoreBatchRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tally_model_v1_ScoreBatchResponse__Output>): grpc.ClientUnaryCall;
  scoreBatch(argument: _tally_model_v1_ScoreBatchRequest, callback: grpc.requestCallback<_tally_model_v1_ScoreBatchResponse__Output>): grpc.ClientUnaryCall;
  
  UnloadModel(argument: _tally_model_v1_UnloadModelRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tally_model_v1_UnloadModelResponse__Output>): grpc.ClientUnaryCall;
  UnloadModel(argument: _tally_model_v1_UnloadModelRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tally_model_v1_UnloadModelResponse__Output>): grpc.ClientUnaryCall;
  UnloadModel(argument: _tally_model_v1_UnloadModelRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tally_model_v1_UnloadModelResponse__Output>): grpc.ClientUnaryCall;
  UnloadModel(argument: _tally_model_v1_UnloadModelRequest, callback: grpc.requestCallback<_tally_model_v1_UnloadModelResponse__Output>): grpc.ClientUnaryCall;
  unloadModel(argument: _tally_model_v1_UnloadModelRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tally_model_v1_UnloadModelResponse__Output>): grpc.ClientUnaryCall;
  unloadModel(argument: _tally_model_v1_UnloadModelRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tally_model_v1_UnloadModelResponse__Output>): grpc.ClientUnaryCall;
  unloadModel(argument: _tally_model_v1_UnloadModelRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tally_model_v1_UnloadModelResponse__Output>): grpc.ClientUnaryCall;
  unloadModel(argument: _tally_model_v1_UnloadModelRequest, callback: grpc.requestCallback<_tally_model_v1_UnloadModelResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface ScoringServiceHandlers extends grpc.UntypedServiceImplementation {
  ListModels: grpc.handleUnaryCall<_tally_model_v1_ListModelsRequest__Output, _tally_model_v1_ListModelsResponse>;
  
  LoadModel: grpc.handleUnaryCall<_tally_model_v1_LoadModelRequest__Output, _tally_model_v1_LoadModelResponse>;
  
  Score: grpc.handleUnaryCall<_tally_model_v1_ScoreRequest__Output, _tally_model_v1_ScoreResponse>;
  
  ScoreBatch: grpc.handleUnaryCall<_tally_model_v1_ScoreBatchRequest__Output, _tally_model_v1_ScoreBatchResponse>;
  
  UnloadModel: grpc.handleUnaryCall<_tally_model_v1_UnloadModelRequest__Output, _tally_model_v1_UnloadModelResponse>;
  
}

export interface ScoringServiceDefinition extends grpc.ServiceDefinition {
  ListModels: MethodDefinition<_tally_model_v1_ListModelsRequest, _tally_model_v1_ListModelsResponse, _tally_model_v1_ListModelsRequest__Output, _tally_model_v1_ListModelsResponse__Output>
  LoadModel: MethodDefinition<_tally_model_v1_LoadModelRequest, _tally_model_v1_LoadModelResponse, _tally_model_v1_LoadModelRequest__Output, _tally_model_v1_LoadModelResponse__Output>
  Score: MethodDefinition<_tally_model_v1_ScoreRequest, _tally_model_v1_ScoreResponse, _tally_model_v1_ScoreRequest__Output, _tally_model_v1_ScoreResponse__Output>
  ScoreBatch: MethodDefinition<_tally_model_v1_ScoreBatchRequest, _tally_model_v1_ScoreBatchResponse, _tally_model_v1_ScoreBatchRequest__Output, _tally_model_v1_ScoreBatchResponse__Output>
  UnloadModel: MethodDefinition<_tally_model_v1_UnloadModelRequest, _tally_model_v1_UnloadModelResponse, _tally_model_v1_UnloadModelRequest__Output, _tally_model_v1_UnloadModelResponse__Output>
}
