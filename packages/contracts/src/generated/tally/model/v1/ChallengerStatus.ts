// Original file: proto/tally/model/v1/scoring_service.proto


export interface ChallengerStatus {
  'version'?: (string);
  'mode'?: (string);
  'canaryFraction'?: (number | string);
}

export interface ChallengerStatus__Output {
  'version': (string);
  'mode': (string);
  'canaryFraction': (number);
}
