// Original file: proto/tally/model/v1/scoring_service.proto

import type { FeatureIssue as _tally_model_v1_FeatureIssue, FeatureIssue__Output as _tally_model_v1_FeatureIssue__Output } from '../../../tally/model/v1/FeatureIssue';
import type { ScoreTiming as _tally_model_v1_ScoreTiming, ScoreTiming__Output as _tally_model_v1_ScoreTiming__Output } from '../../../tally/model/v1/ScoreTiming';
import type { PolicyVerdict as _tally_model_v1_PolicyVerdict, PolicyVerdict__Output as _tally_model_v1_PolicyVerdict__Output } from '../../../tally/model/v1/PolicyVerdict';
import type { Reason as _tally_model_v1_Reason, Reason__Output as _tally_model_v1_Reason__Output } from '../../../tally/model/v1/Reason';
import type { Explanation as _tally_model_v1_Explanation, Explanation__Output as _tally_model_v1_Explanation__Output } from '../../../tally/model/v1/Explanation';

export interface ScoreResponse {
  'score'?: (number | string);
  'model'?: (string);
  'version'?: (string);
  'requestId'?: (string);
  'featureIssues'?: (_tally_model_v1_FeatureIssue)[];
  'featureSet'?: (string);
  'featureSetFingerprint'?: (string);
  'timing'?: (_tally_model_v1_ScoreTiming | null);
  'columns'?: (string)[];
  'featureValues'?: (number | string)[];
  'featureStatuses'?: (string)[];
  'policyVerdict'?: (_tally_model_v1_PolicyVerdict);
  'policyViolations'?: (string)[];
  'decisionPolicy'?: (string);
  'reasons'?: (_tally_model_v1_Reason)[];
  'explanation'?: (_tally_model_v1_Explanation | null);
  'canary'?: (boolean);
}

export interface ScoreResponse__Output {
  'score': (number);
  'model': (string);
  'version': (string);
  'requestId': (string);
  'featureIssues': (_tally_model_v1_FeatureIssue__Output)[];
  'featureSet': (string);
  'featureSetFingerprint': (string);
  'timing': (_tally_model_v1_ScoreTiming__Output | null);
  'columns': (string)[];
  'featureValues': (number)[];
  'featureStatuses': (string)[];
  'policyVerdict': (_tally_model_v1_PolicyVerdict__Output);
  'policyViolations': (string)[];
  'decisionPolicy': (string);
  'reasons': (_tally_model_v1_Reason__Output)[];
  'explanation': (_tally_model_v1_Explanation__Output | null);
  'canary': (boolean);
}
