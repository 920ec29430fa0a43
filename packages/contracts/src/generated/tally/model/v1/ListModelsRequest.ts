// Original file: proto/tally/model/v1/scoring_service.proto


export interface ListModelsRequest {
}

export interface ListModelsRequest__Output {
}
