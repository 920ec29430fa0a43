import { randomUUID } from 'node:crypto';
import { FailedPreconditionError, InvalidArgumentError } from '@tally/grpc-kit';
import type { CallContext, UnaryHandler } from '@tally/grpc-kit';
import type { model } from '@tally/contracts';
import type { Challengers, ChallengerRoute } from '../challengers/challengers';
import { recordDecisions } from '../decisions/decision-recorder';
import type { DecisionRecorder } from '../decisions/decision-recorder';
import type { ModelRegistry } from '../serving/model-registry';
import type { InferResult, ServingModel } from '../serving/serving-model';
import { decisionVerdict } from './decision-verdict';
import type { FeatureFetcher } from './feature-fetcher';
import { packFeatureVectors } from './feature-vectors';
import { featureIssues, microsSince } from './score-response';
import { reasonFields, reasonMapFor, reasonsWanted, scoreRows } from './score-reasons';

/** Longest caller request id echoed back. */
export const MAX_REQUEST_ID_LENGTH = 256;

export interface ScoreServiceOptions {
  registry: ModelRegistry;
  /** The feature-service; undefined when FEATURE_SERVICE_ADDR is empty (standalone). */
  features: FeatureFetcher | undefined;
  /** Most items in one ScoreBatch (MAX_SCORE_BATCH_ITEMS). */
  maxBatchItems: number;
  /** The decision log; every answered decision is durable in it before the answer is sent. */
  decisions?: DecisionRecorder;
  /** Champion/challenger routing (model config `challenger`); undefined = versions as asked. */
  challengers?: Challengers;
}

type ScoreHandlers = {
  Score: UnaryHandler<model.ScoreRequest__Output, model.ScoreResponse>;
  ScoreBatch: UnaryHandler<model.ScoreBatchRequest__Output, model.ScoreBatchResponse>;
};

function requestIdOf(given: string, field: string): string {
  if (given.length > MAX_REQUEST_ID_LENGTH) {
    throw new InvalidArgumentError(field, `longer than ${MAX_REQUEST_ID_LENGTH} characters`);
  }
  return given === '' ? randomUUID() : given;
}

function checkPriority(priority: number, serving: ServingModel): void {
  const levels = serving.config.batching.priorityLevels;
  if (priority > levels) {
    throw new InvalidArgumentError(
      'priority',
      `${priority} is not a priority level of model ${serving.name} (1 to ${levels}, 0 = default ${serving.config.batching.defaultPriorityLevel})`,
    );
  }
}

/** Who asked, as the decision log keeps it: the identity authorization knows, or '' without one. */
function callerName(ctx: CallContext): string {
  return ctx.caller?.name ?? '';
}

/** Each row's score; a non-finite score is never returned. */
function finiteScores(serving: ServingModel, result: InferResult): Float64Array {
  const scores = serving.scores(result);
  scores.forEach((s, i) => {
    if (!Number.isFinite(s)) {
      throw new Error(
        `model ${serving.name}/${result.version} returned a non-finite score (${s}) for row ${i}`,
      );
    }
  });
  return scores;
}

/**
 * Score and ScoreBatch: resolve the model (NOT_FOUND/UNAVAILABLE before any other work), fetch its
 * feature set's vectors from the feature-service with the caller's deadline, check them against the
 * model, score them through the dynamic batcher, and answer with the score, the version that
 * answered, the request id, the features that were not present, and where the time went.
 */
export class ScoreService {
  readonly #o: ScoreServiceOptions;

  constructor(options: ScoreServiceOptions) {
    this.#o = options;
  }

  handlers(): ScoreHandlers {
    return {
      Score: (request, ctx) => this.score(request, ctx),
      ScoreBatch: (request, ctx) => this.scoreBatch(request, ctx),
    };
  }

  #features(): FeatureFetcher {
    if (this.#o.features === undefined) {
      throw new FailedPreconditionError(
        'Score needs the feature-service, but its address is not configured (FEATURE_SERVICE_ADDR is empty: standalone model-server); set FEATURE_SERVICE_ADDR or send vectors with ModelInfer',
      );
    }
    return this.#o.features;
  }

  /** Which version answers (a canary challenger may), and which scores beside it. */
  #route(
    name: string,
    version: string,
    entityKeys: model.ScoreRequest__Output['entityKeys'] | undefined,
  ): ChallengerRoute {
    return this.#o.challengers?.route(name, version, entityKeys) ?? { version, canary: false };
  }

  /** The model to score with, checked before features are fetched. */
  #resolve(name: string, version: string, priority: number): ServingModel {
    if (name === '') throw new InvalidArgumentError('model', 'required');
    const serving = this.#o.registry.resolve(name, version);
    checkPriority(priority, serving);
    serving.schemaCheck?.assertScorable();
    return serving;
  }

  async score(request: model.ScoreRequest__Output, ctx: CallContext): Promise<model.ScoreResponse> {
    const arrived = process.hrtime.bigint();
    const features = this.#features();
    const route = this.#route(request.model, request.version, request.entityKeys);
    const first = this.#resolve(request.model, route.version, request.priority);
    const requestId = requestIdOf(request.requestId, 'request_id');
    reasonsWanted(first, request.includeReasons);
    const fetched = await features.fetch(
      {
        featureSet: first.config.featureSet,
        entities: [{ keys: request.entityKeys }],
        context: request.context,
        style: 'score',
      },
      ctx,
    );
    // Resolve again: a reload during the fetch may have swapped the version (the old one drains).
    const serving = this.#o.registry.resolve(request.model, route.version);
    const { response } = fetched;
    serving.schemaCheck?.observe(response.featureSetFingerprint);
    const rows = packFeatureVectors(response, serving, 1);
    const verdict = decisionVerdict(serving, response.vectors[0]!.statuses);
    const explain = reasonsWanted(serving, request.includeReasons);
    const reasonMap = explain ? reasonMapFor(serving, response.columns) : undefined;
    const result = await scoreRows(serving, explain, rows, 1, {
      priority: request.priority,
      queueTimeoutUs: request.queueTimeoutUs,
      deadline: ctx.deadline,
      signal: ctx.signal,
    });
    const score = finiteScores(serving, result)[0]!;
    const statuses = response.vectors[0]!.statuses;
    const answer: model.ScoreResponse = {
      score,
      model: serving.name,
      version: String(result.version),
      requestId,
      featureIssues: featureIssues(response.columns, statuses),
      featureSet: response.featureSet,
      featureSetFingerprint: response.featureSetFingerprint,
      timing: {
        featuresUs: fetched.featuresUs,
        queueUs: result.queueUs,
        computeUs: result.computeUs,
        totalUs: microsSince(arrived),
      },
      ...verdict,
      ...(request.includeFeatures
        ? { columns: response.columns, featureValues: Array.from(rows), featureStatuses: statuses }
        : {}),
      ...(route.canary ? { canary: true } : {}),
      ...(reasonMap ? reasonFields(serving, reasonMap, result, 0, statuses, request.includeFeatures) : {}),
    };
    await recordDecisions(this.#o.decisions, callerName(ctx), response.columns, [
      {
        entityKeys: request.entityKeys,
        context: request.context,
        vector: response.vectors[0]!,
        values: rows,
        response: answer,
      },
    ]);
    this.#o.challengers?.scoreBeside(route, serving.name, response, [
      { entityKeys: request.entityKeys, context: request.context, requestId, score },
    ]);
    return answer;
  }

  async scoreBatch(
    request: model.ScoreBatchRequest__Output,
    ctx: CallContext,
  ): Promise<model.ScoreBatchResponse> {
    const arrived = process.hrtime.bigint();
    const features = this.#features();
    // A batch is answered by one version: its challenger only scores in shadow, never as a canary.
    const route = this.#route(request.model, request.version, undefined);
    const first = this.#resolve(request.model, route.version, request.priority);
    const items = request.items;
    if (items.length === 0) throw new InvalidArgumentError('items', 'at least one item is required');
    if (items.length > this.#o.maxBatchItems) {
      throw new InvalidArgumentError(
        'items',
        `${items.length} items exceed the limit of ${this.#o.maxBatchItems} per call (MAX_SCORE_BATCH_ITEMS)`,
      );
    }
    const requestIds = items.map((item, i) => requestIdOf(item.requestId, `items[${i}].request_id`));
    reasonsWanted(first, request.includeReasons);
    const fetched = await features.fetch(
      {
        featureSet: first.config.featureSet,
        entities: items.map((item) => ({ keys: item.entityKeys, context: item.context })),
        style: 'score-batch',
      },
      ctx,
    );
    const serving = this.#o.registry.resolve(request.model, route.version);
    const { response } = fetched;
    serving.schemaCheck?.observe(response.featureSetFingerprint);
    const rows = packFeatureVectors(response, serving, items.length);
    const explain = reasonsWanted(serving, request.includeReasons);
    const reasonMap = explain ? reasonMapFor(serving, response.columns) : undefined;
    const verdicts = response.vectors.map((v, i) => decisionVerdict(serving, v.statuses, i));
    // A request is never split by the batcher: send chunks of at most max_batch_size rows.
    const chunk =
      serving.config.batching.maxBatchSize > 0 ? serving.config.batching.maxBatchSize : items.length;
    const width = serving.width;
    const chunks: Array<{ start: number; count: number }> = [];
    for (let start = 0; start < items.length; start += chunk) {
      chunks.push({ start, count: Math.min(chunk, items.length - start) });
    }
    const results = await Promise.all(
      chunks.map(({ start, count }) =>
        scoreRows(serving, explain, rows.subarray(start * width, (start + count) * width), count, {
          priority: request.priority,
          queueTimeoutUs: request.queueTimeoutUs,
          deadline: ctx.deadline,
          signal: ctx.signal,
        }),
      ),
    );
    const totalUs = microsSince(arrived);
    const responses: model.ScoreResponse[] = [];
    chunks.forEach(({ start, count }, c) => {
      const result = results[c]!;
      const scores = finiteScores(serving, result);
      for (let k = 0; k < count; k += 1) {
        const i = start + k;
        responses.push({
          score: scores[k]!,
          model: serving.name,
          version: String(result.version),
          requestId: requestIds[i]!,
          featureIssues: featureIssues(response.columns, response.vectors[i]!.statuses),
          featureSet: response.featureSet,
          featureSetFingerprint: response.featureSetFingerprint,
          timing: {
            featuresUs: fetched.featuresUs,
            queueUs: result.queueUs,
            computeUs: result.computeUs,
            totalUs,
          },
          ...(reasonMap
            ? reasonFields(serving, reasonMap, result, k, response.vectors[i]!.statuses, false)
            : {}),
          ...verdicts[i]!,
        });
      }
    });
    await recordDecisions(
      this.#o.decisions,
      callerName(ctx),
      response.columns,
      responses.map((answer, i) => ({
        entityKeys: items[i]!.entityKeys,
        context: items[i]!.context,
        vector: response.vectors[i]!,
        values: rows.subarray(i * width, (i + 1) * width),
        response: answer,
      })),
    );
    this.#o.challengers?.scoreBeside(
      route,
      serving.name,
      response,
      responses.map((r, i) => ({
        entityKeys: items[i]!.entityKeys,
        context: items[i]!.context,
        requestId: requestIds[i]!,
        score: r.score as number,
      })),
    );
    return { results: responses };
  }
}
