import { Counter, Histogram } from 'prom-client';
import type { Registry } from 'prom-client';

const DELTA_BUCKETS = [-0.5, -0.2, -0.1, -0.05, -0.02, -0.01, 0, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5];

/** Champion/challenger metrics (docs/model-repository.md, `challenger`). */
export class ChallengerMetrics {
  readonly scorings: Counter<'model' | 'version' | 'mode' | 'outcome'>;
  readonly delta: Histogram<'model' | 'champion' | 'challenger'>;
  readonly agreement: Counter<'model' | 'champion' | 'challenger' | 'agree'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.scorings = new Counter({
      name: 'tally_challenger_scorings_total',
      help: 'Decisions scored beside the answer by the version that did not answer (shadow, or the champion of a canary), by outcome: scored, dropped (its in-flight bound or queue was full), unavailable (version not ready), failed.',
      labelNames: ['model', 'version', 'mode', 'outcome'],
      registers,
    });
    this.delta = new Histogram({
      name: 'tally_challenger_score_delta',
      help: 'Challenger score minus champion score for the same decision.',
      labelNames: ['model', 'champion', 'challenger'],
      buckets: DELTA_BUCKETS,
      registers,
    });
    this.agreement = new Counter({
      name: 'tally_challenger_agreement_total',
      help: "Decisions scored by both versions, by whether both scores fall on the same side of the challenger's agreement_threshold.",
      labelNames: ['model', 'champion', 'challenger', 'agree'],
      registers,
    });
  }
}
