// Original file: proto/tally/feature/v1/feature_service.proto


export interface ListFeatureSetsRequest {
}

export interface ListFeatureSetsRequest__Output {
}
