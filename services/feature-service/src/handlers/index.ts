export { getFeatureVectors } from './get-feature-vectors';
export { writeFeatureRows, validateRows } from './write-feature-rows';
export { describeFeatureSet, listFeatureSets, describeSet } from './describe-feature-sets';
export type { ServiceDeps } from './service-deps';
export { writeEvents } from './write-events';
