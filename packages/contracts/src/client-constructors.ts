import * as grpc from '@grpc/grpc-js';
import { loadContracts } from './load-contracts';
import type { FeatureServiceClient } from './generated/tally/feature/v1/FeatureService';
import type { DecisionLogClient } from './generated/tally/model/v1/DecisionLog';
import type { ScoringServiceClient } from './generated/tally/model/v1/ScoringService';
import type { GRPCInferenceServiceClient } from './generated/inference/GRPCInferenceService';

/**
 * Raw typed clients. Most callers want @tally/client, which adds deadlines, retries and load
 * balancing on top of these.
 */
export function createFeatureServiceClient(
  address: string,
  credentials: grpc.ChannelCredentials = grpc.credentials.createInsecure(),
  options?: grpc.ChannelOptions,
): FeatureServiceClient {
  return new (loadContracts().tally.feature.v1.FeatureService)(address, credentials, options);
}

export function createScoringServiceClient(
  address: string,
  credentials: grpc.ChannelCredentials = grpc.credentials.createInsecure(),
  options?: grpc.ChannelOptions,
): ScoringServiceClient {
  return new (loadContracts().tally.model.v1.ScoringService)(address, credentials, options);
}

export function createDecisionLogClient(
  address: string,
  credentials: grpc.ChannelCredentials = grpc.credentials.createInsecure(),
  options?: grpc.ChannelOptions,
): DecisionLogClient {
  return new (loadContracts().tally.model.v1.DecisionLog)(address, credentials, options);
}

export function createInferenceServiceClient(
  address: string,
  credentials: grpc.ChannelCredentials = grpc.credentials.createInsecure(),
  options?: grpc.ChannelOptions,
): GRPCInferenceServiceClient {
  return new (loadContracts().inference.GRPCInferenceService)(address, credentials, options);
}
