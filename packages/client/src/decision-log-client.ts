import { SERVICE_NAMES, createDecisionLogClient } from '@tally/contracts';
import type { model } from '@tally/contracts';
import { ServiceClient } from './service-client';
import type { CallOptions, ClientOptions } from './service-client';
import type { Addresses } from './target';

export type DecisionLogMethod = 'GetDecision' | 'ListDecisions' | 'ListScores';

/** Promise-based client of the model-server's decision log (tally.model.v1.DecisionLog). */
export class DecisionLogClient extends ServiceClient<DecisionLogMethod> {
  constructor(addresses: Addresses, options: ClientOptions<DecisionLogMethod> = {}) {
    super(SERVICE_NAMES.decisionLog, createDecisionLogClient, addresses, options);
  }

  getDecision(
    request: model.GetDecisionRequest,
    options?: CallOptions,
  ): Promise<model.GetDecisionResponse__Output> {
    return this.call('GetDecision', request, options);
  }

  listDecisions(
    request: model.ListDecisionsRequest,
    options?: CallOptions,
  ): Promise<model.ListDecisionsResponse__Output> {
    return this.call('ListDecisions', request, options);
  }

  listScores(
    request: model.ListScoresRequest,
    options?: CallOptions,
  ): Promise<model.ListScoresResponse__Output> {
    return this.call('ListScores', request, options);
  }
}
