/**
 * What a missed target costs and why, written by hand from the profiles (`pnpm bench --profile`),
 * keyed by `TargetRow.key`. The report prints the text under the target, then the profile
 * comparison of the run at hand (when it was profiled), so a reader can check the text against data.
 */

/** Two or more sets of profiled processes compared by CPU self time per code group. */
export interface ProfileComparison {
  title: string;
  /** Each side: the profiles whose label matches; the first side's top functions are listed too. */
  sides: Array<{ name: string; labels: RegExp }>;
  /** Code groups shown per side (the largest ones), default 8. */
  topGroups?: number;
}

export interface TargetExplanation {
  /** What the cost is, in a few sentences, with the numbers the profile gave. */
  cost: string;
  /** Profile comparisons rendered from this run's data. */
  profiles?: ProfileComparison[];
  /** Measurements whose per-round figures are listed. */
  showRounds?: RegExp;
}

const LEAD_PLACEHOLDER: TargetExplanation = {
  cost: '_See the lead’s analysis of the ModelInfer batching targets (to be written here)._',
};

const tracingProfiles = (service: 'model-server' | 'feature-service'): ProfileComparison => ({
  title: `${service}, tracing off vs 1% vs 100%`,
  sides: [
    { name: '1%', labels: new RegExp(`^${service} tracing 1% `) },
    { name: 'off', labels: new RegExp(`^${service} tracing off `) },
    { name: '100%', labels: new RegExp(`^${service} tracing 100% `) },
  ],
});

export const EXPLANATIONS: Record<string, TargetExplanation> = {
  'infer-batched-vs-noop': LEAD_PLACEHOLDER,
  'infer-batched-vs-unbatched': LEAD_PLACEHOLDER,
  'features-warm-1-throughput': {
    cost: 'TODO',
    profiles: [
      {
        title: 'feature-service (warm cache) vs the no-op server',
        sides: [
          { name: 'feature-service', labels: /^feature-service warm cache/ },
          { name: 'no-op', labels: /^no-op server$/ },
        ],
      },
    ],
  },
  'features-warm-1-p99': {
    cost: 'TODO',
    profiles: [
      {
        title: 'feature-service (warm cache) vs the no-op server',
        sides: [
          { name: 'feature-service', labels: /^feature-service warm cache/ },
          { name: 'no-op', labels: /^no-op server$/ },
        ],
      },
    ],
  },
  'features-cold-100-p99': {
    cost: 'TODO',
    profiles: [
      {
        title: 'feature-service with its cache off',
        sides: [{ name: 'cache off', labels: /^feature-service cache off$/ }],
      },
    ],
  },
  'score-vs-chain': {
    cost: 'TODO',
  },
  'tracing-100': {
    cost: 'TODO',
    showRounds: /^tracing /,
    profiles: [tracingProfiles('model-server'), tracingProfiles('feature-service')],
  },
  'tracing-1': {
    cost: 'TODO',
    showRounds: /^tracing /,
    profiles: [tracingProfiles('model-server'), tracingProfiles('feature-service')],
  },
};
