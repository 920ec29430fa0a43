// Original file: proto/tally/feature/v1/feature_service.proto


export interface WriteFeatureRowsResponse {
  'rowsWritten'?: (number);
  'rowsIgnoredOlder'?: (number);
}

export interface WriteFeatureRowsResponse__Output {
  'rowsWritten': (number);
  'rowsIgnoredOlder': (number);
}
