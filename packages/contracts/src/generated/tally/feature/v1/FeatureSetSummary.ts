// Original file: proto/tally/feature/v1/feature_service.proto


export interface FeatureSetSummary {
  'name'?: (string);
  'description'?: (string);
  'width'?: (number);
  'fingerprint'?: (string);
}

export interface FeatureSetSummary__Output {
  'name': (string);
  'description': (string);
  'width': (number);
  'fingerprint': (string);
}
