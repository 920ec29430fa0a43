// Original file: proto/tally/model/v1/decision_log.proto


export interface GetDecisionRequest {
  'requestId'?: (string);
}

export interface GetDecisionRequest__Output {
  'requestId': (string);
}
