// Original file: proto/tally/feature/v1/feature_service.proto


export interface WriteEventsResponse {
  'eventsWritten'?: (number);
  'eventsDuplicate'?: (number);
}

export interface WriteEventsResponse__Output {
  'eventsWritten': (number);
  'eventsDuplicate': (number);
}
