export { Challengers } from './challengers';
export type { ChallengerRoute, AnsweredItem } from './challengers';
export { ChallengerMetrics } from './challenger-metrics';
export { parseChallengerConfig } from './challenger-config';
export type { ChallengerConfig, ChallengerMode } from './challenger-config';
export { canaryPoint } from './canary-slice';
