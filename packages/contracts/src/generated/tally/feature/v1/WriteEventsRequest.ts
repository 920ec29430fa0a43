// Original file: proto/tally/feature/v1/feature_service.proto

import type { Event as _tally_feature_v1_Event, Event__Output as _tally_feature_v1_Event__Output } from '../../../tally/feature/v1/Event';

export interface WriteEventsRequest {
  'source'?: (string);
  'events'?: (_tally_feature_v1_Event)[];
}

export interface WriteEventsRequest__Output {
  'source': (string);
  'events': (_tally_feature_v1_Event__Output)[];
}
