/**
 * @tally/deploy-checks: reads the Dockerfiles, docker-compose.yml and Helm charts without Docker or
 * helm, and checks them against what the services really read (`--describe-config`). The checks
 * themselves are this package's tests; these are the readers they use.
 */
export { TALLY_SERVICES, UMBRELLA_CHART, NODE_RUNTIME_VARIABLES } from './tally-services';
export type { TallyService } from './tally-services';
export { describeServiceConfig, enumeratedValues } from './service-config';
export type { ServiceConfig, ServiceVariable } from './service-config';
export { readmeVariables } from './readme-config-table';
export { parseDockerfile, execForm, instructionsOf, labelsOf, envOf, nodeBaseImage } from './dockerfile';
export type { Dockerfile, Instruction, Stage } from './dockerfile';
export { loadComposeFile, environmentOf, containerPortsOf, dependenciesOf } from './compose-file';
export type { ComposeFile, ComposeService } from './compose-file';
export { loadChart, mergeValues, templateEnvNames } from './helm-chart';
export type { Chart, Values, ValuesFile } from './helm-chart';
export { schemaProblems } from './json-schema';
export { chartEnvProblems, readmeProblems, unknownVariableProblems } from './env-rule';
export { repoRoot, repoPath } from './repo-root';
