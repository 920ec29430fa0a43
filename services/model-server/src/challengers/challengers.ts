import { status } from '@grpc/grpc-js';
import type { common, feature, model } from '@tally/contracts';
import type { Logger } from '@tally/grpc-kit';
import { activeTraceIds } from '@tally/telemetry';
import { decisionRecord, entityKeyText } from '../decisions/decision-record';
import type { DecisionRecorder } from '../decisions/decision-recorder';
import { errorMessage } from '../decisions/error-message';
import { packFeatureVectors } from '../scoring/feature-vectors';
import { featureIssues } from '../scoring/score-response';
import type { ModelRegistry } from '../serving/model-registry';
import { canaryPoint } from './canary-slice';
import type { ChallengerMetrics } from './challenger-metrics';
import type { ChallengerMode } from './challenger-config';

type ValueMap = Record<string, common.Value__Output>;

/** Which version answers a decision, and which (if any) scores beside it. */
export interface ChallengerRoute {
  /** The version to answer with; '' = the registry's default (no challenger involved). */
  readonly version: string;
  /** A canary challenger answers. */
  readonly canary: boolean;
  /** Scored beside the answer, never waited for. */
  readonly beside?: {
    readonly version: number;
    readonly mode: ChallengerMode;
    readonly challenger: number;
    readonly champion: number;
    readonly maxInFlight: number;
    readonly agreementThreshold: number;
  };
}

/** One answered decision, for the version scored beside it. */
export interface AnsweredItem {
  readonly entityKeys: ValueMap;
  readonly context: ValueMap;
  readonly requestId: string;
  readonly score: number;
}

export interface ChallengersOptions {
  readonly registry: ModelRegistry;
  readonly decisions: DecisionRecorder | undefined;
  readonly metrics: ChallengerMetrics | undefined;
  readonly logger: Logger;
}

const NO_CHALLENGER: ChallengerRoute = { version: '', canary: false };

/**
 * Champion/challenger routing from a model config's `challenger`: in shadow mode the champion answers
 * and the challenger scores the same vector beside it; in canary mode a stable slice of entities is
 * answered by the challenger, with the champion beside it. What is scored beside the answer runs after
 * the answer is ready, at the lowest priority, bounded by `max_in_flight` (more are dropped, counted),
 * and can never fail or delay the answer. Both decisions are logged under the same request id.
 */
export class Challengers {
  readonly #o: ChallengersOptions;
  #inFlight = 0;

  constructor(options: ChallengersOptions) {
    this.#o = options;
  }

  /** The route of one decision; `entityKeys` undefined (ScoreBatch) = never a canary. */
  route(modelName: string, askedVersion: string, entityKeys: ValueMap | undefined): ChallengerRoute {
    if (askedVersion !== '') return { version: askedVersion, canary: false };
    let config;
    let ready: number[];
    try {
      config = this.#o.registry.resolve(modelName, '').config.challenger;
      ready = this.#o.registry.readyVersions(modelName);
    } catch {
      return NO_CHALLENGER; // the normal path reports it
    }
    if (config === undefined) return NO_CHALLENGER;
    const champions = ready.filter((v) => v !== config.version);
    if (champions.length === 0) return NO_CHALLENGER;
    const champion = Math.max(...champions);
    const challengerReady = ready.includes(config.version);
    const pair = {
      mode: config.mode,
      challenger: config.version,
      champion,
      maxInFlight: config.maxInFlight,
      agreementThreshold: config.agreementThreshold,
    };
    if (!challengerReady) {
      this.#o.metrics?.scorings.inc({
        model: modelName,
        version: String(config.version),
        mode: config.mode,
        outcome: 'unavailable',
      });
      return { version: String(champion), canary: false };
    }
    if (config.mode === 'shadow') {
      return { version: String(champion), canary: false, beside: { ...pair, version: config.version } };
    }
    if (
      entityKeys !== undefined &&
      canaryPoint(modelName, entityKeyText(entityKeys)) < config.canaryFraction
    ) {
      return { version: String(config.version), canary: true, beside: { ...pair, version: champion } };
    }
    return { version: String(champion), canary: false };
  }

  /**
   * Scores `items` with the route's other version from the vectors the answer used, then logs them
   * (role shadow) and records delta and agreement. Returns at once; never throws.
   */
  scoreBeside(
    route: ChallengerRoute,
    modelName: string,
    vectors: feature.GetFeatureVectorsResponse__Output,
    items: readonly AnsweredItem[],
  ): void {
    const beside = route.beside;
    if (beside === undefined) return;
    const labels = { model: modelName, version: String(beside.version), mode: beside.mode };
    if (this.#inFlight >= beside.maxInFlight) {
      this.#o.metrics?.scorings.inc({ ...labels, outcome: 'dropped' }, items.length);
      return;
    }
    this.#inFlight += 1;
    const traceId = activeTraceIds()?.trace_id ?? '';
    this.#scoreBeside(route, beside, modelName, vectors, items, traceId)
      .then(
        (outcome) => this.#o.metrics?.scorings.inc({ ...labels, outcome }, items.length),
        (error: unknown) => {
          this.#o.metrics?.scorings.inc({ ...labels, outcome: 'failed' }, items.length);
          this.#o.logger.debug('challenger scoring failed', { ...labels, reason: errorMessage(error) });
        },
      )
      .finally(() => {
        this.#inFlight -= 1;
      });
  }

  async #scoreBeside(
    route: ChallengerRoute,
    beside: NonNullable<ChallengerRoute['beside']>,
    modelName: string,
    vectors: feature.GetFeatureVectorsResponse__Output,
    items: readonly AnsweredItem[],
    traceId: string,
  ): Promise<'scored' | 'dropped'> {
    const serving = this.#o.registry.resolve(modelName, String(beside.version));
    const rows = packFeatureVectors(vectors, serving, items.length);
    const chunk =
      serving.config.batching.maxBatchSize > 0 ? serving.config.batching.maxBatchSize : items.length;
    const scores: number[] = [];
    const timings: Array<{ queueUs: number; computeUs: number }> = [];
    for (let start = 0; start < items.length; start += chunk) {
      const count = Math.min(chunk, items.length - start);
      let result;
      try {
        result = await serving.infer(
          rows.subarray(start * serving.width, (start + count) * serving.width),
          count,
          {
            // Lowest priority: the answers' own requests go first.
            priority: serving.config.batching.priorityLevels,
          },
        );
      } catch (error) {
        // A full queue sheds the challenger first.
        if ((error as { code?: unknown }).code === status.RESOURCE_EXHAUSTED) return 'dropped';
        throw error;
      }
      scores.push(...serving.scores(result));
      for (let k = 0; k < count; k += 1)
        timings.push({ queueUs: result.queueUs, computeUs: result.computeUs });
    }
    const now = Date.now();
    const records = items.map((item, i) => {
      const own = scores[i]!;
      const champion = route.canary ? own : item.score;
      const challenger = route.canary ? item.score : own;
      const pairLabels = {
        model: modelName,
        champion: String(beside.champion),
        challenger: String(beside.challenger),
      };
      this.#o.metrics?.delta.observe(pairLabels, challenger - champion);
      const agree = challenger >= beside.agreementThreshold === champion >= beside.agreementThreshold;
      this.#o.metrics?.agreement.inc({ ...pairLabels, agree: String(agree) });
      const response: model.ScoreResponse = {
        score: own,
        model: modelName,
        version: String(beside.version),
        requestId: item.requestId,
        featureIssues: featureIssues(vectors.columns, vectors.vectors[i]!.statuses),
        featureSet: vectors.featureSet,
        featureSetFingerprint: vectors.featureSetFingerprint,
        timing: { featuresUs: 0, queueUs: timings[i]!.queueUs, computeUs: timings[i]!.computeUs, totalUs: 0 },
      };
      return decisionRecord(
        {
          role: 'shadow',
          caller: '',
          traceId,
          entityKeys: item.entityKeys,
          context: item.context,
          columns: vectors.columns,
          vector: vectors.vectors[i]!,
          values: rows.subarray(i * serving.width, (i + 1) * serving.width),
          response,
        },
        now,
      );
    });
    await this.#o.decisions?.record(records);
    return 'scored';
  }
}
