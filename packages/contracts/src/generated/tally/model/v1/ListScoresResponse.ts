// Original file: proto/tally/model/v1/decision_log.proto


export interface ListScoresResponse {
  'scores'?: (number | string)[];
  'truncated'?: (boolean);
}

export interface ListScoresResponse__Output {
  'scores': (number)[];
  'truncated': (boolean);
}
