import { decisionLogScenario } from './decision-log-scenario';
import { eventsScenario } from './events-scenario';
import { featureVectorsScenario } from './feature-vectors-scenario';
import { modelInferScenario } from './model-infer-scenario';
import type { Scenario } from './scenario';
import { scaleOutScenario } from './scale-out-scenario';
import { scoreScenario } from './score-scenario';
import { serverCostScenario } from './server-cost-scenario';
import { tracingScenario } from './tracing-scenario';

/** Every scenario, in the order `pnpm bench` runs them. */
export const ALL_SCENARIOS: Scenario[] = [
  modelInferScenario,
  featureVectorsScenario,
  scoreScenario,
  decisionLogScenario,
  tracingScenario,
  serverCostScenario,
  scaleOutScenario,
  eventsScenario,
];
