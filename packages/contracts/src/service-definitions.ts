import { loadContracts } from './load-contracts';
import type { FeatureServiceDefinition } from './generated/tally/feature/v1/FeatureService';
import type { DecisionLogDefinition } from './generated/tally/model/v1/DecisionLog';
import type { ScoringServiceDefinition } from './generated/tally/model/v1/ScoringService';
import type { GRPCInferenceServiceDefinition } from './generated/inference/GRPCInferenceService';

/** Fully-qualified service names, as reflection and health checks report them. */
export const SERVICE_NAMES = {
  feature: 'tally.feature.v1.FeatureService',
  scoring: 'tally.model.v1.ScoringService',
  decisionLog: 'tally.model.v1.DecisionLog',
  inference: 'inference.GRPCInferenceService',
} as const;

export function featureServiceDefinition(): FeatureServiceDefinition {
  return loadContracts().tally.feature.v1.FeatureService.service;
}

export function scoringServiceDefinition(): ScoringServiceDefinition {
  return loadContracts().tally.model.v1.ScoringService.service;
}

export function decisionLogServiceDefinition(): DecisionLogDefinition {
  return loadContracts().tally.model.v1.DecisionLog.service;
}

export function inferenceServiceDefinition(): GRPCInferenceServiceDefinition {
  return loadContracts().inference.GRPCInferenceService.service;
}
