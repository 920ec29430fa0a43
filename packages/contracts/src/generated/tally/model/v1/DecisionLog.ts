// Original file: proto/tally/model/v1/decision_log.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { GetDecisionRequest as _tally_model_v1_GetDecisionRequest, GetDecisionRequest__Output as _tally_model_v1_GetDecisionRequest__Output } from '../../../tally/model/v1/GetDecisionRequest';
import type { GetDecisionResponse as _tally_model_v1_GetDecisionResponse, GetDecisionResponse__Output as _tally_model_v1_GetDecisionResponse__Output } from '../../../tally/model/v1/GetDecisionResponse';
import type { ListDecisionsRequest as _tally_model_v1_ListDecisionsRequest, ListDecisionsRequest__Output as _tally_model_v1_ListDecisionsRequest__Output } from '../../../tally/model/v1/ListDecisionsRequest';
import type { ListDecisionsResponse as _tally_model_v1_ListDecisionsResponse, ListDecisionsResponse__Output as _tally_model_v1_ListDecisionsResponse__Output } from '../../../tally/model/v1/ListDecisionsResponse';
import type { ListScoresRequest as _tally_model_v1_ListScoresRequest, ListScoresRequest__Output as _tally_model_v1_ListScoresRequest__Output } from '../../../tally/model/v1/ListScoresRequest';
import type { ListScoresResponse as _tally_model_v1_ListScoresResponse, ListScoresResponse__Output as _tally_model_v1_ListScoresResponse__Output } from '../../../tally/model/v1/ListScoresResponse';

export interface DecisionLogClient extends grpc.Client {
  GetDecision(argument: _tally_model_v1_GetDecisionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tally_model_v1_GetDecisionResponse__Output>): grpc.ClientUnaryCall;
  GetDecision(argument: _tally_model_v1_GetDecisionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tally_model_v1_GetDecisionResponse__Output>): grpc.ClientUnaryCall;
  GetDecision(argument: _tally_model_v1_GetDecisionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tally_model_v1_GetDecisionResponse__Output>): grpc.ClientUnaryCall;
  GetDecision(argument: _tally_model_v1_GetDecisionRequest, callback: grpc.requestCallback<_tally_model_v1_GetDecisionResponse__Output>): grpc.ClientUnaryCall;
  getDecision(argument: _tally_model_v1_GetDecisionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tally_model_v1_GetDecisionResponse__Output>): grpc.ClientUnaryCall;
  getDecision(argument: _tally_model_v1_GetDecisionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tally_model_v1_GetDecisionResponse__Output>): grpc.ClientUnaryCall;
  getDecision(argument: _tally_model_v1_GetDecisionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tally_model_v1_GetDecisionResponse__Output>): grpc.ClientUnaryCall;
  getDecision(argument: _tally_model_v1_GetDecisionRequest, callback: grpc.requestCallback<_tally_model_v1_GetDecisionResponse__Output>): grpc.ClientUnaryCall;
  
  ListDecisions(argument: _tally_model_v1_ListDecisionsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tally_model_v1_ListDecisionsResponse__Output>): grpc.ClientUnaryCall;
  ListDecisions(argument: _tally_model_v1_ListDecisionsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tally_model_v1_ListDecisionsResponse__Output>): grpc.ClientUnaryCall;
  ListDecisions(argument: _tally_model_v1_ListDecisionsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tally_model_v1_ListDecisionsResponse__Output>): grpc.ClientUnaryCall;
  ListDecisions(argument: _tally_model_v1_ListDecisionsRequest, callback: grpc.requestCallback<_tally_model_v1_ListDecisionsResponse__Output>): grpc.ClientUnaryCall;
  listDecisions(argument: _tally_model_v1_ListDecisionsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tally_model_v1_ListDecisionsResponse__Output>): grpc.ClientUnaryCall;
  listDecisions(argument: _tally_model_v1_ListDecisionsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tally_model_v1_ListDecisionsResponse__Output>): grpc.ClientUnaryCall;
  listDecisions(argument: _tally_model_v1_ListDecisionsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tally_model_v1_ListDecisionsResponse__Output>): grpc.ClientUnaryCall;
  listDecisions(argument: _tally_model_v1_ListDecisionsRequest, callback: grpc.requestCallback<_tally_model_v1_ListDecisionsResponse__Output>): grpc.ClientUnaryCall;
  
  ListScores(argument: _tally_model_v1_ListScoresRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tally_model_v1_ListScoresResponse__Output>): grpc.ClientUnaryCall;
  ListScores(argument: _tally_model_v1_ListScoresRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tally_model_v1_ListScoresResponse__Output>): grpc.ClientUnaryCall;
  ListScores(argument: _tally_model_v1_ListScoresRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tally_model_v1_ListScoresResponse__Output>): grpc.ClientUnaryCall;
  ListScores(argument: _tally_model_v1_ListScoresRequest, callback: grpc.requestCallback<_tally_model_v1_ListScoresResponse__Output>): grpc.ClientUnaryCall;
  listScores(argument: _tally_model_v1_ListScoresRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_tally_model_v1_ListScoresResponse__Output>): grpc.ClientUnaryCall;
  listScores(argument: _tally_model_v1_ListScoresRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_tally_model_v1_ListScoresResponse__Output>): grpc.ClientUnaryCall;
  listScores(argument: _tally_model_v1_ListScoresRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_tally_model_v1_ListScoresResponse__Output>): grpc.ClientUnaryCall;
  listScores(argument: _tally_model_v1_ListScoresRequest, callback: grpc.requestCallback<_tally_model_v1_ListScoresResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface DecisionLogHandlers extends grpc.UntypedServiceImplementation {
  GetDecision: grpc.handleUnaryCall<_tally_model_v1_GetDecisionRequest__Output, _tally_model_v1_GetDecisionResponse>;
  
  ListDecisions: grpc.handleUnaryCall<_tally_model_v1_ListDecisionsRequest__Output, _tally_model_v1_ListDecisionsResponse>;
  
  ListScores: grpc.handleUnaryCall<_tally_model_v1_ListScoresRequest__Output, _tally_model_v1_ListScoresResponse>;
  
}

export interface DecisionLogDefinition extends grpc.ServiceDefinition {
  GetDecision: MethodDefinition<_tally_model_v1_GetDecisionRequest, _tally_model_v1_GetDecisionResponse, _tally_model_v1_GetDecisionRequest__Output, _tally_model_v1_GetDecisionResponse__Output>
  ListDecisions: MethodDefinition<_tally_model_v1_ListDecisionsRequest, _tally_model_v1_ListDecisionsResponse, _tally_model_v1_ListDecisionsRequest__Output, _tally_model_v1_ListDecisionsResponse__Output>
  ListScores: MethodDefinition<_tally_model_v1_ListScoresRequest, _tally_model_v1_ListScoresResponse, _tally_model_v1_ListScoresRequest__Output, _tally_model_v1_ListScoresResponse__Output>
}
