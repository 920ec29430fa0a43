import { FeatureClient } from '@tally/client';
import type { common, feature } from '@tally/contracts';
import type { CallContext } from '@tally/grpc-kit';
import { withSpan } from '@tally/telemetry';
import { featureServiceFailure } from './feature-service-error';
import type { FieldPathStyle } from './feature-service-error';

type ValueMap = Record<string, common.Value__Output>;

/** One entity to fetch: its join keys and (ScoreBatch) its own context. */
export interface EntityToFetch {
  keys: ValueMap;
  context?: ValueMap;
}

export interface FeatureFetch {
  featureSet: string;
  entities: EntityToFetch[];
  /** Context shared by every entity (Score). */
  context?: ValueMap;
  /** How field paths read in the caller's request, for relayed errors. */
  style: FieldPathStyle;
}

/** The feature vectors of one Score/ScoreBatch, and how long the feature-service took. */
export interface FetchedFeatures {
  response: feature.GetFeatureVectorsResponse__Output;
  featuresUs: number;
}

/**
 * Fetches feature vectors from the feature-service for Score: one GetFeatureVectors per call, with
 * the caller's deadline (unchanged) and cancellation propagated, no retries (the caller owns the retry
 * budget of a decision), store error policy FAIL (a store
 * outage fails the decision rather than scoring defaults), inside a `fetch features` span (the gRPC
 * instrumentation carries the trace context to the feature-service).
 */
export class FeatureFetcher {
  readonly #client: FeatureClient;

  constructor(readonly address: string) {
    // One retry budget per decision: retries belong to the outermost caller (its client retries Score
    // on UNAVAILABLE), so this client never retries. Retrying here too would multiply the attempts:
    // 3 Score attempts × 3 GetFeatureVectors attempts = 9 feature calls for one decision.
    this.#client = new FeatureClient(address, { retries: false });
  }

  async fetch(
    request: FeatureFetch,
    ctx: Pick<CallContext, 'deadline' | 'signal'>,
  ): Promise<FetchedFeatures> {
    const started = process.hrtime.bigint();
    const response = await withSpan(
      'fetch features',
      { 'tally.feature_set': request.featureSet, 'tally.entities': request.entities.length },
      () =>
        this.#client
          .getFeatureVectors(
            {
              featureSet: request.featureSet,
              entities: request.entities.map((e) => ({ keys: e.keys, context: e.context ?? {} })),
              context: request.context ?? {},
              storeErrorPolicy: 'STORE_ERROR_POLICY_FAIL',
            },
            // Without a caller deadline the client's default for GetFeatureVectors applies.
            { ...(ctx.deadline === undefined ? {} : { deadline: ctx.deadline }), signal: ctx.signal },
          )
          .catch((error: unknown) => {
            throw featureServiceFailure({
              error,
              address: this.address,
              deadline: ctx.deadline,
              signal: ctx.signal,
              style: request.style,
            });
          }),
    );
    return { response, featuresUs: Number((process.hrtime.bigint() - started) / 1000n) };
  }

  close(): void {
    this.#client.close();
  }
}
