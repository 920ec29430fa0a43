// Original file: proto/tally/model/v1/scoring_service.proto


export interface Reason {
  'code'?: (string);
  'text'?: (string);
  'features'?: (string)[];
  'columns'?: (string)[];
  'contribution'?: (number | string);
  'defaulted'?: (boolean);
}

export interface Reason__Output {
  'code': (string);
  'text': (string);
  'features': (string)[];
  'columns': (string)[];
  'contribution': (number);
  'defaulted': (boolean);
}
