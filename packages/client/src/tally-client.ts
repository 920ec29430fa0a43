import type { model } from '@tally/contracts';
import { FeatureClient } from './feature-client';
import type { FeatureMethod } from './feature-client';
import { InferenceClient } from './inference-client';
import type { InferenceMethod } from './inference-client';
import { ScoringClient } from './scoring-client';
import type { ScoringMethod } from './scoring-client';
import type { CallOptions, ClientOptions } from './service-client';
import type { Addresses } from './target';
import { toValueMap } from './value-map';
import type { PlainValue } from './value-map';

/** A decision to score, in plain JS values. */
export interface ScoreInput {
  model: string;
  /** Empty = the newest ready version. */
  version?: string;
  /** e.g. `{ applicant_id: 17 }` (see toValue for how numbers are typed). */
  entityKeys: Record<string, PlainValue>;
  /** e.g. `{ amount: 5000, term: 36 }`. */
  context?: Record<string, PlainValue>;
  requestId?: string;
  priority?: number;
  includeFeatures?: boolean;
  /** Ask for the reasons (adverse-action reason codes) that raised the score most. */
  includeReasons?: boolean;
}

function scoreRequest(input: ScoreInput): model.ScoreRequest {
  return {
    model: input.model,
    version: input.version ?? '',
    entityKeys: toValueMap(input.entityKeys),
    context: toValueMap(input.context ?? {}),
    requestId: input.requestId ?? '',
    priority: input.priority ?? 0,
    includeFeatures: input.includeFeatures ?? false,
    includeReasons: input.includeReasons ?? false,
  };
}

export interface TallyClientOptions {
  /** feature-service address(es); omit when not needed. */
  featureService?: Addresses;
  /** model-server address(es): scoring and inference APIs. */
  modelServer?: Addresses;
  /** Options for every client (credentials, retries, channel options). */
  options?: Omit<ClientOptions, 'deadlinesMs'>;
  /** Default deadlines (ms) per method name. */
  deadlinesMs?: Partial<Record<FeatureMethod | ScoringMethod | InferenceMethod, number>>;
}

/** Every Tally client over one set of addresses; `close()` closes them all. */
export interface TallyClient {
  readonly features: FeatureClient;
  readonly scoring: ScoringClient;
  readonly inference: InferenceClient;
  /** Scores one decision from plain values. */
  score(input: ScoreInput, options?: CallOptions): Promise<model.ScoreResponse__Output>;
  close(): void;
}

function pick<M extends string>(deadlines: Record<string, number> | undefined, methods: readonly M[]) {
  const out: Partial<Record<M, number>> = {};
  for (const m of methods) if (deadlines?.[m] !== undefined) out[m] = deadlines[m];
  return out;
}

function missing(what: string): never {
  throw new TypeError(`createTallyClient: no ${what} address was given`);
}

/**
 * Clients for both services. A client whose address was not given throws on first use, naming
 * the option to set. Channels are created lazily, on first use.
 */
export function createTallyClient(options: TallyClientOptions): TallyClient {
  const base = options.options ?? {};
  let features: FeatureClient | undefined;
  let scoring: ScoringClient | undefined;
  let inference: InferenceClient | undefined;
  const client: TallyClient = {
    get features() {
      return (features ??= new FeatureClient(options.featureService ?? missing('featureService'), {
        ...base,
        deadlinesMs: pick(options.deadlinesMs, [
          'GetFeatureVectors',
          'WriteFeatureRows',
          'ListFeatureSets',
          'DescribeFeatureSet',
        ] as const),
      }));
    },
    get scoring() {
      return (scoring ??= new ScoringClient(options.modelServer ?? missing('modelServer'), {
        ...base,
        deadlinesMs: pick(options.deadlinesMs, [
          'Score',
          'ScoreBatch',
          'ListModels',
          'LoadModel',
          'UnloadModel',
        ] as const),
      }));
    },
    get inference() {
      return (inference ??= new InferenceClient(options.modelServer ?? missing('modelServer'), {
        ...base,
        deadlinesMs: pick(options.deadlinesMs, [
          'ServerLive',
          'ServerReady',
          'ModelReady',
          'ServerMetadata',
          'ModelMetadata',
          'ModelInfer',
        ] as const),
      }));
    },
    score: (input, callOptions) => client.scoring.score(scoreRequest(input), callOptions),
    close() {
      features?.close();
      scoring?.close();
      inference?.close();
    },
  };
  return client;
}

/**
 * One call, one decision: connects to the model-server, scores, closes. For scripts and the CLI;
 * a service that scores repeatedly should keep a ScoringClient (or createTallyClient) open.
 *
 *   const { score, version } = await score({ modelServer: '127.0.0.1:50061', model: 'credit_risk',
 *     entityKeys: { applicant_id: 17 }, context: { amount: 5000, term: 36 } });
 */
export async function score(
  input: ScoreInput & { modelServer: Addresses; clientOptions?: ClientOptions<ScoringMethod> } & CallOptions,
): Promise<model.ScoreResponse__Output> {
  const client = new ScoringClient(input.modelServer, input.clientOptions);
  try {
    return await client.score(scoreRequest(input), input);
  } finally {
    client.close();
  }
}

export { scoreRequest };
