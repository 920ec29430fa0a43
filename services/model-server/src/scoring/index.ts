export { ScoreService, MAX_REQUEST_ID_LENGTH } from './score-service';
export type { ScoreServiceOptions } from './score-service';
export { FeatureFetcher } from './feature-fetcher';
export type { EntityToFetch, FeatureFetch, FetchedFeatures } from './feature-fetcher';
export { featureServiceFailure, callerFieldPaths } from './feature-service-error';
export type { FeatureCallFailure, FieldPathStyle } from './feature-service-error';
export { packFeatureVectors } from './feature-vectors';
export { featureIssues } from './score-response';
