// Original file: proto/tally/model/v1/scoring_service.proto


export interface UnloadModelRequest {
  'name'?: (string);
  'version'?: (string);
}

export interface UnloadModelRequest__Output {
  'name': (string);
  'version': (string);
}
