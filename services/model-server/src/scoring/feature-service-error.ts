import { status } from '@grpc/grpc-js';
import { DeadlineExceededError, TallyError, UnavailableError } from '@tally/grpc-kit';
import { TallyClientError } from '@tally/client';

/** How the feature-service's field paths read in the caller's request (Score or ScoreBatch). */
export type FieldPathStyle = 'score' | 'score-batch';

/**
 * Rewrites the feature-service's field paths (`entities[3].keys.applicant_id`) into the caller's
 * (`entity_keys.applicant_id` for Score, `items[3].entity_keys.applicant_id` for ScoreBatch).
 */
export function callerFieldPaths(message: string, style: FieldPathStyle): string {
  if (style === 'score') {
    return message
      .replace(/\bentities\[0\]\.keys\b/g, 'entity_keys')
      .replace(/\bentities\[0\]\.context\b/g, 'context');
  }
  return message
    .replace(/\bentities\[(\d+)\]\.keys\b/g, 'items[$1].entity_keys')
    .replace(/\bentities\[(\d+)\]\.context\b/g, 'items[$1].context')
    .replace(/^entities:/, 'items:');
}

export interface FeatureCallFailure {
  /** What the call rejected with. */
  error: unknown;
  /** The feature-service address, for messages. */
  address: string;
  /** The caller's deadline (ms since the epoch), if any. */
  deadline: number | undefined;
  /** The caller's signal: when it is aborted, its reason is the answer. */
  signal: AbortSignal;
  style: FieldPathStyle;
}

/**
 * What a failed GetFeatureVectors call becomes for the Score caller:
 * - the caller's deadline passed (or the caller cancelled): DEADLINE_EXCEEDED;
 * - INVALID_ARGUMENT / NOT_FOUND: the same code, message prefixed "feature-service: " (the caller's
 *   keys or context are at fault, or the model's feature set is unknown there);
 * - anything else (UNAVAILABLE, connection refused, the feature-service's own timeouts, INTERNAL):
 *   UNAVAILABLE naming the feature-service and its address — never a score made of defaults.
 */
export function featureServiceFailure(failure: FeatureCallFailure): TallyError {
  const { error, address, deadline, signal, style } = failure;
  if (signal.aborted && signal.reason instanceof TallyError) return signal.reason;
  const relayed = TallyClientError.from(error, '/tally.feature.v1.FeatureService/GetFeatureVectors');
  if (deadline !== undefined && Date.now() >= deadline) {
    return new DeadlineExceededError(
      `deadline passed while waiting for the feature-service at ${address} (${relayed.codeName}: ${relayed.details})`,
    );
  }
  if (relayed.code === status.INVALID_ARGUMENT || relayed.code === status.NOT_FOUND) {
    return new TallyError(relayed.code, `feature-service: ${callerFieldPaths(relayed.details, style)}`);
  }
  return new UnavailableError(`feature-service at ${address}`, `${relayed.codeName}: ${relayed.details}`);
}
