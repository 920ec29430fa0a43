// Original file: proto/tally/feature/v1/feature_service.proto


export interface DescribeFeatureSetRequest {
  'name'?: (string);
}

export interface DescribeFeatureSetRequest__Output {
  'name': (string);
}
