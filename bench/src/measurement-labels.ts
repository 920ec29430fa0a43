/** Measurement labels shared by the scenarios that record them and the targets that read them. */
export const labels = {
  infer: {
    noop: (c: number) => `no-op grpc-js, c=${c}`,
    batched: (c: number) => `model-server batching on, c=${c}`,
    unbatched: (c: number) => `model-server batching off, c=${c}`,
    noopOpen: 'no-op grpc-js, open loop',
    batchedOpen: 'model-server batching on, open loop',
  },
  features: {
    noop: (entities: number) => `no-op grpc-js, ${entities} entities, c=16`,
    warm: (entities: number) => `feature-service warm cache, ${entities} entities, c=16`,
    cold: (entities: number) => `feature-service cold store, ${entities} entities, c=1`,
    mysql: (entities: number) => `raw mysql2, ${entities} keys, c=1`,
    noopOpen: 'no-op grpc-js, 1 entity, open loop',
    warmOpen: 'feature-service warm cache, 1 entity, open loop',
  },
  score: {
    chain: 'no-op two-hop chain, c=16',
    score: 'Score end to end, c=16',
    chainOpen: 'no-op two-hop chain, open loop',
    scoreOpen: 'Score end to end, open loop',
  },
  tracing: {
    at: (sampling: string) => `tracing ${sampling}, c=16`,
  },
  scaleOut: {
    one: 'GetFeatureVectors, 1 feature-service, c=32',
    two: 'GetFeatureVectors, 2 feature-services behind one round_robin client, c=32',
  },
  /** The h2load runs of the server-cost scenario (fixed call counts, pinned cores). */
  cost: {
    inferNoop: (inFlight: number) => `h2load ModelInfer no-op grpc-js, ${inFlight} in flight`,
    infer: (inFlight: number) => `h2load ModelInfer model-server, ${inFlight} in flight`,
    featuresNoop: 'h2load GetFeatureVectors no-op grpc-js, 1 entity, 1 in flight',
    features: 'h2load GetFeatureVectors feature-service warm, 1 entity, 1 in flight',
    chain: 'h2load Score no-op two-hop chain, 1 in flight',
    score: 'h2load Score end to end, 1 in flight',
    tracing: (sampling: string) => `h2load Score tracing ${sampling}, 16 in flight`,
  },
};
