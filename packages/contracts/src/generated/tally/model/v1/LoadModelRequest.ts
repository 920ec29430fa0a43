// Original file: proto/tally/model/v1/scoring_service.proto


export interface LoadModelRequest {
  'name'?: (string);
  'version'?: (string);
}

export interface LoadModelRequest__Output {
  'name': (string);
  'version': (string);
}
