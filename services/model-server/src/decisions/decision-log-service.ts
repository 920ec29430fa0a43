import { InvalidArgumentError, NotFoundError, UnavailableError } from '@tally/grpc-kit';
import type { UnaryHandler } from '@tally/grpc-kit';
import type { model } from '@tally/contracts';
import { entityKeyText } from './decision-record';
import type { DecisionRecord } from './decision-record';
import type { DecisionStore } from './decision-store';
import { errorMessage } from './error-message';

/** Decisions one ListDecisions returns when the request sets no limit, and the most it may ask. */
export const DEFAULT_LIST_LIMIT = 100;
export const MAX_LIST_LIMIT = 1000;
/** Scores one ListScores returns when the request sets no limit, and the most it may ask. */
export const DEFAULT_SCORES_LIMIT = 100_000;
export const MAX_SCORES_LIMIT = 400_000;

type DecisionLogHandlers = {
  GetDecision: UnaryHandler<model.GetDecisionRequest__Output, model.GetDecisionResponse>;
  ListDecisions: UnaryHandler<model.ListDecisionsRequest__Output, model.ListDecisionsResponse>;
  ListScores: UnaryHandler<model.ListScoresRequest__Output, model.ListScoresResponse>;
};

/** [since, until) of a request, checked; until 0 = now. */
function timeRange(sinceUnixMs: number, untilUnixMs: number): { since: number; until: number } {
  const since = sinceUnixMs;
  const until = untilUnixMs === 0 ? Date.now() + 1 : untilUnixMs;
  if (since < 0) throw new InvalidArgumentError('since_unix_ms', `${since} is negative`);
  if (until <= since) {
    throw new InvalidArgumentError(
      'until_unix_ms',
      `${until} is not after since_unix_ms ${since}: the time range [since, until) is empty`,
    );
  }
  return { since, until };
}

/** A record as the DecisionLog API returns it. */
export function decisionMessage(r: DecisionRecord): model.Decision {
  return {
    requestId: r.requestId,
    role: r.role,
    decidedAtUnixMs: r.decidedAtMs,
    caller: r.caller,
    model: r.model,
    version: r.version,
    featureSet: r.featureSet,
    featureSetFingerprint: r.featureSetFingerprint,
    entityKeys: r.entityKeys,
    context: r.context,
    columns: [...r.columns],
    featureValues: [...r.values],
    featureStatuses: [...r.statuses],
    featureEventTimesUnixMs: [...r.eventTimesMs],
    score: r.score,
    traceId: r.traceId,
    response: r.response,
  };
}

async function fromDatabase<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    throw new UnavailableError('decision database', errorMessage(error));
  }
}

/** The DecisionLog service: reads shipped decisions back from the database. */
export function decisionLogHandlers(store: DecisionStore | undefined): DecisionLogHandlers {
  const database = (): DecisionStore => {
    if (store === undefined) {
      throw new UnavailableError(
        'decision log',
        'disabled on this model-server (DECISION_LOG_ENABLED=false)',
      );
    }
    return store;
  };
  return {
    GetDecision: async (request) => {
      if (request.requestId === '') throw new InvalidArgumentError('request_id', 'required');
      const records = await fromDatabase(() => database().get(request.requestId));
      if (records.length === 0) {
        throw new NotFoundError(
          'decision',
          request.requestId,
          'no decision with this request id in the decision log',
        );
      }
      return { decisions: records.map(decisionMessage) };
    },
    ListDecisions: async (request) => {
      if (Object.keys(request.entityKeys).length === 0) {
        throw new InvalidArgumentError('entity_keys', 'at least one entity key is required');
      }
      const { since, until } = timeRange(request.sinceUnixMs, request.untilUnixMs);
      const limit = request.limit === 0 ? DEFAULT_LIST_LIMIT : request.limit;
      if (limit > MAX_LIST_LIMIT) {
        throw new InvalidArgumentError('limit', `${limit} exceeds ${MAX_LIST_LIMIT}`);
      }
      const key = entityKeyText(request.entityKeys);
      const records = await fromDatabase(() => database().list(key, since, until, limit));
      return { decisions: records.map(decisionMessage) };
    },
    ListScores: async (request) => {
      if (request.model === '') throw new InvalidArgumentError('model', 'required');
      if (request.version === '') throw new InvalidArgumentError('version', 'required');
      const { since, until } = timeRange(request.sinceUnixMs, request.untilUnixMs);
      const limit = request.limit === 0 ? DEFAULT_SCORES_LIMIT : request.limit;
      if (limit > MAX_SCORES_LIMIT) {
        throw new InvalidArgumentError('limit', `${limit} exceeds ${MAX_SCORES_LIMIT}`);
      }
      const scores = await fromDatabase(() =>
        database().scores(request.model, request.version, since, until, limit + 1),
      );
      return { scores: scores.slice(0, limit), truncated: scores.length > limit };
    },
  };
}
