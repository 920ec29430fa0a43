// Original file: proto/tally/model/v1/scoring_service.proto


export interface Explanation {
  'method'?: (string);
  'space'?: (string);
  'baseValue'?: (number | string);
  'value'?: (number | string);
  'contributions'?: (number | string)[];
}

export interface Explanation__Output {
  'method': (string);
  'space': (string);
  'baseValue': (number);
  'value': (number);
  'contributions': (number)[];
}
