// Original file: proto/tally/model/v1/scoring_service.proto


export interface DecisionPolicy {
  'requiredPresent'?: (string)[];
  'maxStoredNotPresent'?: (number);
  'onViolation'?: (string);
  'summary'?: (string);
}

export interface DecisionPolicy__Output {
  'requiredPresent': (string)[];
  'maxStoredNotPresent': (number);
  'onViolation': (string);
  'summary': (string);
}
