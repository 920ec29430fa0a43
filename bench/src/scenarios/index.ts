import { modelInferScenario } from './model-infer-scenario';
import type { Scenario } from './scenario';

/** Every scenario, in the order `pnpm bench` runs them. */
export const ALL_SCENARIOS: Scenario[] = [modelInferScenario];
