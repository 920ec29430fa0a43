import { InvalidArgumentError, unimplementedHandlers } from '@tally/grpc-kit';
import type { UnaryHandlers } from '@tally/grpc-kit';
import { scoringServiceDefinition } from '@tally/contracts';
import type { model } from '@tally/contracts';
import type { ModelRegistry } from '../serving/model-registry';

/**
 * tally.model.v1.ScoringService: the repository control RPCs (ListModels, LoadModel, UnloadModel).
 * Score and ScoreBatch are implemented in src/scoring (ScoreService) and merged over these in main.ts.
 */
export function scoringHandlers(registry: ModelRegistry): UnaryHandlers<model.ScoringServiceDefinition> {
  return unimplementedHandlers(scoringServiceDefinition(), {
    ListModels: () => ({ models: registry.list() }),
    LoadModel: async (req) => {
      if (req.name === '') throw new InvalidArgumentError('name', 'required');
      return { model: await registry.loadModel(req.name, req.version) };
    },
    UnloadModel: async (req) => {
      if (req.name === '') throw new InvalidArgumentError('name', 'required');
      return { model: await registry.unloadModel(req.name, req.version) };
    },
  });
}
