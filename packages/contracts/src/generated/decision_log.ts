import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { Value as _tally_common_v1_Value, Value__Output as _tally_common_v1_Value__Output } from './tally/common/v1/Value';
import type { ChallengerStatus as _tally_model_v1_ChallengerStatus, ChallengerStatus__Output as _tally_model_v1_ChallengerStatus__Output } from './tally/model/v1/ChallengerStatus';
import type { Decision as _tally_model_v1_Decision, Decision__Output as _tally_model_v1_Decision__Output } from './tally/model/v1/Decision';
import type { DecisionLogClient as _tally_model_v1_DecisionLogClient, DecisionLogDefinition as _tally_model_v1_DecisionLogDefinition } from './tally/model/v1/DecisionLog';
import type { DecisionPolicy as _tally_model_v1_DecisionPolicy, DecisionPolicy__Output as _tally_model_v1_DecisionPolicy__Output } from './tally/model/v1/DecisionPolicy';
import type { Explanation as _tally_model_v1_Explanation, Explanation__Output as _tally_model_v1_Explanation__Output } from './tally/model/v1/Explanation';
import type { FeatureIssue as _tally_model_v1_FeatureIssue, FeatureIssue__Output as _tally_model_v1_FeatureIssue__Output } from './tally/model/v1/FeatureIssue';
import type { GetDecisionRequest as _tally_model_v1_GetDecisionRequest, GetDecisionRequest__Output as _tally_model_v1_GetDecisionRequest__Output } from './tally/model/v1/GetDecisionRequest';
import type { GetDecisionResponse as _tally_model_v1_GetDecisionResponse, GetDecisionResponse__Output as _tally_model_v1_GetDecisionResponse__Output } from './tally/model/v1/GetDecisionResponse';
import type { ListDecisionsRequest as _tally_model_v1_ListDecisionsRequest, ListDecisionsRequest__Output as _tally_model_v1_ListDecisionsRequest__Output } from './tally/model/v1/ListDecisionsRequest';
import type { ListDecisionsResponse as _tally_model_v1_ListDecisionsResponse, ListDecisionsResponse__Output as _tally_model_v1_ListDecisionsResponse__Output } from './tally/model/v1/ListDecisionsResponse';
import type { ListModelsRequest as _tally_model_v1_ListModelsRequest, ListModelsRequest__Output as _tally_model_v1_ListModelsRequest__Output } from './tally/model/v1/ListModelsRequest';
import type { ListModelsResponse as _tally_model_v1_ListModelsResponse, ListModelsResponse__Output as _tally_model_v1_ListModelsResponse__Output } from './tally/model/v1/ListModelsResponse';
import type { ListScoresRequest as _tally_model_v1_ListScoresRequest, ListScoresRequest__Output as _tally_model_v1_ListScoresRequest__Output } from './tally/model/v1/ListScoresRequest';
import type { ListScoresResponse as _tally_model_v1_ListScoresResponse, ListScoresResponse__Output as _tally_model_v1_ListScoresResponse__Output } from './tally/model/v1/ListScoresResponse';
import type { LoadModelRequest as _tally_model_v1_LoadModelRequest, LoadModelRequest__Output as _tally_model_v1_LoadModelRequest__Output } from './tally/model/v1/LoadModelRequest';
import type { LoadModelResponse as _tally_model_v1_LoadModelResponse, LoadModelResponse__Output as _tally_model_v1_LoadModelResponse__Output } from './tally/model/v1/LoadModelResponse';
import type { ModelStatus as _tally_model_v1_ModelStatus, ModelStatus__Output as _tally_model_v1_ModelStatus__Output } from './tally/model/v1/ModelStatus';
import type { ModelVersionStatus as _tally_model_v1_ModelVersionStatus, ModelVersionStatus__Output as _tally_model_v1_ModelVersionStatus__Output } from './tally/model/v1/ModelVersionStatus';
import type { Reason as _tally_model_v1_Reason, Reason__Output as _tally_model_v1_Reason__Output } from './tally/model/v1/Reason';
import type { SchemaCheck as _tally_model_v1_SchemaCheck, SchemaCheck__Output as _tally_model_v1_SchemaCheck__Output } from './tally/model/v1/SchemaCheck';
import type { ScoreBatchRequest as _tally_model_v1_ScoreBatchRequest, ScoreBatchRequest__Output as _tally_model_v1_ScoreBatchRequest__Output } from './tally/model/v1/ScoreBatchRequest';
import type { ScoreBatchResponse as _tally_model_v1_ScoreBatchResponse, ScoreBatchResponse__Output as _tally_model_v1_ScoreBatchResponse__Output } from './tally/model/v1/ScoreBatchResponse';
import type { ScoreItem as _tally_model_v1_ScoreItem, ScoreItem__Output as _tally_model_v1_ScoreItem__Output } from './tally/model/v1/ScoreItem';
import type { ScoreRequest as _tally_model_v1_ScoreRequest, ScoreRequest__Output as _tally_model_v1_ScoreRequest__Output } from './tally/model/v1/ScoreRequest';
import type { ScoreResponse as _tally_model_v1_ScoreResponse, ScoreResponse__Output as _tally_model_v1_ScoreResponse__Output } from './tally/model/v1/ScoreResponse';
import type { ScoreTiming as _tally_model_v1_ScoreTiming, ScoreTiming__Output as _tally_model_v1_ScoreTiming__Output } from './tally/model/v1/ScoreTiming';
import type { ScoringServiceClient as _tally_model_v1_ScoringServiceClient, ScoringServiceDefinition as _tally_model_v1_ScoringServiceDefinition } from './tally/model/v1/ScoringService';
import type { UnloadModelRequest as _tally_model_v1_UnloadModelRequest, UnloadModelRequest__Output as _tally_model_v1_UnloadModelRequest__Output } from './tally/model/v1/UnloadModelRequest';
import type { UnloadModelResponse as _tally_model_v1_UnloadModelResponse, UnloadModelResponse__Output as _tally_model_v1_UnloadModelResponse__Output } from './tally/model/v1/UnloadModelResponse';

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
    model: {
      v1: {
        ChallengerStatus: MessageTypeDefinition<_tally_model_v1_ChallengerStatus, _tally_model_v1_ChallengerStatus__Output>
        Decision: MessageTypeDefinition<_tally_model_v1_Decision, _tally_model_v1_Decision__Output>
        DecisionLog: SubtypeConstructor<typeof grpc.Client, _tally_model_v1_DecisionLogClient> & { service: _tally_model_v1_DecisionLogDefinition }
        DecisionPolicy: MessageTypeDefinition<_tally_model_v1_DecisionPolicy, _tally_model_v1_DecisionPolicy__Output>
        Explanation: MessageTypeDefinition<_tally_model_v1_Explanation, _tally_model_v1_Explanation__Output>
        FeatureIssue: MessageTypeDefinition<_tally_model_v1_FeatureIssue, _tally_model_v1_FeatureIssue__Output>
        GetDecisionRequest: MessageTypeDefinition<_tally_model_v1_GetDecisionRequest, _tally_model_v1_GetDecisionRequest__Output>
        GetDecisionResponse: MessageTypeDefinition<_tally_model_v1_GetDecisionResponse, _tally_model_v1_GetDecisionResponse__Output>
        ListDecisionsRequest: MessageTypeDefinition<_tally_model_v1_ListDecisionsRequest, _tally_model_v1_ListDecisionsRequest__Output>
        ListDecisionsResponse: MessageTypeDefinition<_tally_model_v1_ListDecisionsResponse, _tally_model_v1_ListDecisionsResponse__Output>
        ListModelsRequest: MessageTypeDefinition<_tally_model_v1_ListModelsRequest, _tally_model_v1_ListModelsRequest__Output>
        ListModelsResponse: MessageTypeDefinition<_tally_model_v1_ListModelsResponse, _tally_model_v1_ListModelsResponse__Output>
        ListScoresRequest: MessageTypeDefinition<_tally_model_v1_ListScoresRequest, _tally_model_v1_ListScoresRequest__Output>
        ListScoresResponse: MessageTypeDefinition<_tally_model_v1_ListScoresResponse, _tally_model_v1_ListScoresResponse__Output>
        LoadModelRequest: MessageTypeDefinition<_tally_model_v1_LoadModelRequest, _tally_model_v1_LoadModelRequest__Output>
        LoadModelResponse: MessageTypeDefinition<_tally_model_v1_LoadModelResponse, _tally_model_v1_LoadModelResponse__Output>
        ModelStatus: MessageTypeDefinition<_tally_model_v1_ModelStatus, _tally_model_v1_ModelStatus__Output>
        ModelVersionState: EnumTypeDefinition
        ModelVersionStatus: MessageTypeDefinition<_tally_model_v1_ModelVersionStatus, _tally_model_v1_ModelVersionStatus__Output>
        PolicyVerdict: EnumTypeDefinition
        Reason: MessageTypeDefinition<_tally_model_v1_Reason, _tally_model_v1_Reason__Output>
        SchemaCheck: MessageTypeDefinition<_tally_model_v1_SchemaCheck, _tally_model_v1_SchemaCheck__Output>
        SchemaCheckState: EnumTypeDefinition
        ScoreBatchRequest: MessageTypeDefinition<_tally_model_v1_ScoreBatchRequest, _tally_model_v1_ScoreBatchRequest__Output>
        ScoreBatchResponse: MessageTypeDefinition<_tally_model_v1_ScoreBatchResponse, _tally_model_v1_ScoreBatchResponse__Output>
        ScoreItem: MessageTypeDefinition<_tally_model_v1_ScoreItem, _tally_model_v1_ScoreItem__Output>
        ScoreRequest: MessageTypeDefinition<_tally_model_v1_ScoreRequest, _tally_model_v1_ScoreRequest__Output>
        ScoreResponse: MessageTypeDefinition<_tally_model_v1_ScoreResponse, _tally_model_v1_ScoreResponse__Output>
        ScoreTiming: MessageTypeDefinition<_tally_model_v1_ScoreTiming, _tally_model_v1_ScoreTiming__Output>
        ScoringService: SubtypeConstructor<typeof grpc.Client, _tally_model_v1_ScoringServiceClient> & { service: _tally_model_v1_ScoringServiceDefinition }
        UnloadModelRequest: MessageTypeDefinition<_tally_model_v1_UnloadModelRequest, _tally_model_v1_UnloadModelRequest__Output>
        UnloadModelResponse: MessageTypeDefinition<_tally_model_v1_UnloadModelResponse, _tally_model_v1_UnloadModelResponse__Output>
      }
    }
  }
}

