import fs from 'node:fs';
import { environmentOf, loadComposeFile } from './compose-file';
import { envOf, parseDockerfile } from './dockerfile';
import { chartEnvProblems, readmeProblems, unknownVariableProblems } from './env-rule';
import { loadChart, mergeValues, templateEnvNames } from './helm-chart';
import { readmeVariables } from './readme-config-table';
import { repoPath } from './repo-root';
import { describeServiceConfig } from './service-config';
import { NODE_RUNTIME_VARIABLES, TALLY_SERVICES } from './tally-services';

// One set of variables per service: what the code reads (--describe-config), what its README documents,
// what its chart can set and what compose and the Dockerfile set. The rule is in docs/deployment.md.
describe.each(TALLY_SERVICES)('$name environment variables', (service) => {
  const config = () => describeServiceConfig(service);

  it('the spec printed by --describe-config has the server basics', () => {
    const names = [...config().names];
    expect(names).toEqual(expect.arrayContaining(['GRPC_PORT', 'METRICS_PORT', 'LOG_LEVEL']));
    expect(new Set(names).size).toBe(names.length);
  });

  it('the README config table documents exactly the variables the code reads', () => {
    const file = repoPath(service.readme);
    if (!fs.existsSync(file)) {
      throw new Error(
        `${service.readme} does not exist yet; it must document: ${config()
          .variables.map((v) => v.name)
          .join(', ')}`,
      );
    }
    const markdown = fs.readFileSync(file, 'utf8');
    expect(readmeProblems(config(), readmeVariables(markdown), service.readme)).toEqual([]);
  });

  it('the chart can set every variable the code reads, and nothing else', () => {
    const chart = loadChart(service.chart);
    const names = templateEnvNames(chart.templates.get('deployment.yaml') ?? '');
    expect(chartEnvProblems(config(), chart, names)).toEqual([]);
  });

  it('docker-compose sets only variables the code reads', () => {
    const compose = loadComposeFile();
    const composeService = compose.services[service.name];
    expect(composeService).toBeDefined();
    expect(
      unknownVariableProblems(
        config(),
        environmentOf(composeService).keys(),
        `docker-compose.yml ${service.name}`,
      ),
    ).toEqual([]);
  });

  it('the image sets only variables the code (or Node.js) reads', () => {
    const dockerfile = parseDockerfile(fs.readFileSync(repoPath(service.dockerfile), 'utf8'));
    const runtime = dockerfile.stages.at(-1)!;
    expect(
      unknownVariableProblems(config(), envOf(runtime).keys(), service.dockerfile, NODE_RUNTIME_VARIABLES),
    ).toEqual([]);
  });
});

describe('the environment rule catches drift', () => {
  const service = TALLY_SERVICES[0];
  const config = () => describeServiceConfig(service);

  it('reports a misspelt env key, a variable nobody can set and a schema that lost a key', () => {
    const chart = loadChart(service.chart);
    const names = templateEnvNames(chart.templates.get('deployment.yaml') ?? '');
    const [firstEnvKey] = Object.keys(chart.values.env as object);
    const env = { ...(chart.values.env as Record<string, string>), LOG_LEVLE: '' };
    delete (env as Record<string, string>)[firstEnvKey];
    const broken = { ...chart, values: mergeValues(chart.values, {}) };
    broken.values.env = env;
    const problems = chartEnvProblems(config(), broken, names);
    expect(problems).toEqual(
      expect.arrayContaining([
        `${service.chart}/values.yaml env sets LOG_LEVLE, which the service does not read (not in --describe-config)`,
        expect.stringContaining(`${firstEnvKey} cannot be set`),
        `${service.chart}/values.schema.json: env.LOG_LEVLE is in values.yaml but not in the schema`,
      ]),
    );
  });

  it('reports a variable set twice, by the template and by env', () => {
    const chart = loadChart(service.chart);
    const names = templateEnvNames(chart.templates.get('deployment.yaml') ?? '');
    expect(names).toContain('GRPC_PORT');
    const doubled = {
      ...chart,
      values: { ...chart.values, env: { ...(chart.values.env as object), GRPC_PORT: '' } },
    };
    expect(chartEnvProblems(config(), doubled, names)).toContain(
      `${service.chart}: GRPC_PORT is set by the deployment template and is also a key of env (pick one)`,
    );
  });

  it('reports README rows that are missing, unknown or duplicated', () => {
    const all = config().variables.map((v) => v.name);
    const readme = [...all.slice(1), 'NOT_A_VARIABLE', all[1]];
    expect(readmeProblems(config(), readme, 'README.md')).toEqual([
      `README.md: ${all[0]} is read by the service but missing from the config table`,
      'README.md: NOT_A_VARIABLE is documented but the service does not read it',
      `README.md: ${all[1]} appears twice in the config table`,
    ]);
  });

  it('reads the variable names of a Markdown config table', () => {
    const markdown = [
      '| Variable | Default | Allowed | What it does |',
      '|---|---|---|---|',
      '| `GRPC_PORT` | `50051` | a TCP port | Port. |',
      '| not a variable | x | y | z |',
      '  | `STORE_URL` | `sqlite:x` | a URL | Store. |',
    ].join('\n');
    expect(readmeVariables(markdown)).toEqual(['GRPC_PORT', 'STORE_URL']);
  });
});
