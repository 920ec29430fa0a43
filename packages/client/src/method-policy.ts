import { SERVICE_NAMES } from '@tally/contracts';

/** What the client does by default for one RPC. */
export interface MethodPolicy {
  /** Default deadline (ms from the call's start), overridable per client and per call. */
  readonly deadlineMs: number;
  /** Whether the call is retried on UNAVAILABLE (only side-effect-free or idempotent calls). */
  readonly retryable: boolean;
}

/**
 * Default deadline and retry rule of every RPC, keyed by "<service>/<Method>".
 *
 * Retries (on UNAVAILABLE only, see RETRY_POLICY): reads and pure computations are safe.
 * WriteFeatureRows is retried too: the store keeps the newest event time per entity, so writing
 * the same rows twice leaves the same state (a retry after a lost response may report those rows
 * under `rows_ignored_older`). WriteEvents is idempotent by event id (a retried batch reports its
 * events under `events_duplicate`). LoadModel and UnloadModel change what is served and are never
 * retried by the client.
 */
export const METHOD_POLICIES = {
  [`${SERVICE_NAMES.feature}/GetFeatureVectors`]: { deadlineMs: 1_000, retryable: true },
  [`${SERVICE_NAMES.feature}/WriteFeatureRows`]: { deadlineMs: 10_000, retryable: true },
  [`${SERVICE_NAMES.feature}/WriteEvents`]: { deadlineMs: 10_000, retryable: true },
  [`${SERVICE_NAMES.feature}/ListFeatureSets`]: { deadlineMs: 3_000, retryable: true },
  [`${SERVICE_NAMES.feature}/DescribeFeatureSet`]: { deadlineMs: 3_000, retryable: true },
  [`${SERVICE_NAMES.scoring}/Score`]: { deadlineMs: 1_000, retryable: true },
  [`${SERVICE_NAMES.scoring}/ScoreBatch`]: { deadlineMs: 5_000, retryable: true },
  [`${SERVICE_NAMES.scoring}/ListModels`]: { deadlineMs: 3_000, retryable: true },
  [`${SERVICE_NAMES.scoring}/LoadModel`]: { deadlineMs: 60_000, retryable: false },
  [`${SERVICE_NAMES.scoring}/UnloadModel`]: { deadlineMs: 30_000, retryable: false },
  [`${SERVICE_NAMES.inference}/ServerLive`]: { deadlineMs: 3_000, retryable: true },
  [`${SERVICE_NAMES.inference}/ServerReady`]: { deadlineMs: 3_000, retryable: true },
  [`${SERVICE_NAMES.inference}/ModelReady`]: { deadlineMs: 3_000, retryable: true },
  [`${SERVICE_NAMES.inference}/ServerMetadata`]: { deadlineMs: 3_000, retryable: true },
  [`${SERVICE_NAMES.inference}/ModelMetadata`]: { deadlineMs: 3_000, retryable: true },
  [`${SERVICE_NAMES.inference}/ModelInfer`]: { deadlineMs: 2_000, retryable: true },
} as const satisfies Record<string, MethodPolicy>;

/** "<service>/<Method>" of every Tally RPC. */
export type TallyMethod = keyof typeof METHOD_POLICIES;

/**
 * The retry policy of retryable methods (a gRPC service-config retryPolicy, executed by grpc-js):
 * up to 3 attempts within the call's deadline, on UNAVAILABLE only, with jittered exponential
 * backoff. Retry throttling stops retries when most calls of a channel fail, so a down server is
 * not hit three times as hard.
 */
export const RETRY_POLICY = {
  maxAttempts: 3,
  initialBackoff: '0.05s',
  maxBackoff: '0.5s',
  backoffMultiplier: 2,
  retryableStatusCodes: ['UNAVAILABLE'],
} as const;

export const RETRY_THROTTLING = { maxTokens: 10, tokenRatio: 0.1 } as const;
