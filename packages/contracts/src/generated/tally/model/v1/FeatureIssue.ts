// Original file: proto/tally/model/v1/scoring_service.proto


export interface FeatureIssue {
  'column'?: (string);
  'status'?: (string);
}

export interface FeatureIssue__Output {
  'column': (string);
  'status': (string);
}
