export { LOAD_OPTIONS } from './load-options';
export { PROTO_FILES, protoRoot } from './proto-root';
export { loadContracts, packageDefinition } from './load-contracts';
export type { TallyProto } from './load-contracts';
export {
  SERVICE_NAMES,
  decisionLogServiceDefinition,
  featureServiceDefinition,
  inferenceServiceDefinition,
  scoringServiceDefinition,
} from './service-definitions';
export {
  createDecisionLogClient,
  createFeatureServiceClient,
  createInferenceServiceClient,
  createScoringServiceClient,
} from './client-constructors';

// Generated message and service types, re-exported under stable names.
export type * as common from './generated/common';
export type * as feature from './generated/feature';
export type * as model from './generated/model';
export type * as inference from './generated/inference';
