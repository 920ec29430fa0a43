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
    trees: (reasons: 'on' | 'off') => `Score trees version, reasons ${reasons}, c=16`,
    treesOpen: (reasons: 'on' | 'off') => `Score trees version, reasons ${reasons}, open loop`,
  },
  tracing: {
    at: (sampling: string) => `tracing ${sampling}, c=16`,
  },
};
