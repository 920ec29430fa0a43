import { SERVICE_NAMES, createScoringServiceClient } from '@tally/contracts';
import type { model } from '@tally/contracts';
import { ServiceClient } from './service-client';
import type { CallOptions, ClientOptions } from './service-client';
import type { Addresses } from './target';

export type ScoringMethod = 'Score' | 'ScoreBatch' | 'ListModels' | 'LoadModel' | 'UnloadModel';

/** Promise-based client of the model-server's own API (tally.model.v1.ScoringService). */
export class ScoringClient extends ServiceClient<ScoringMethod> {
  constructor(addresses: Addresses, options: ClientOptions<ScoringMethod> = {}) {
    super(SERVICE_NAMES.scoring, createScoringServiceClient, addresses, options);
  }

  score(request: model.ScoreRequest, options?: CallOptions): Promise<model.ScoreResponse__Output> {
    return this.call('Score', request, options);
  }

  scoreBatch(
    request: model.ScoreBatchRequest,
    options?: CallOptions,
  ): Promise<model.ScoreBatchResponse__Output> {
    return this.call('ScoreBatch', request, options);
  }

  listModels(options?: CallOptions): Promise<model.ListModelsResponse__Output> {
    return this.call('ListModels', {}, options);
  }

  /** Never retried by the client: it changes what is served. */
  loadModel(
    request: model.LoadModelRequest,
    options?: CallOptions,
  ): Promise<model.LoadModelResponse__Output> {
    return this.call('LoadModel', request, options);
  }

  /** Never retried by the client: it changes what is served. */
  unloadModel(
    request: model.UnloadModelRequest,
    options?: CallOptions,
  ): Promise<model.UnloadModelResponse__Output> {
    return this.call('UnloadModel', request, options);
  }
}
