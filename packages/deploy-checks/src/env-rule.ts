/**
 * The rule that keeps deployment configuration and service code in step (docs/deployment.md,
 * "One set of variables"). Each check returns one line per problem, naming the variable and where it
 * is wrong; an empty list means the artefact follows the rule.
 */
import { valueAt } from './helm-chart';
import type { Chart } from './helm-chart';
import { enumeratedValues } from './service-config';
import type { ServiceConfig } from './service-config';

function sorted(names: Iterable<string>): string[] {
  return [...names].sort();
}

/** The README's configuration table lists exactly the variables the code reads. */
export function readmeProblems(
  config: ServiceConfig,
  readmeNames: readonly string[],
  readme: string,
): string[] {
  const listed = new Set(readmeNames);
  const problems: string[] = [];
  for (const name of config.variables.map((v) => v.name)) {
    if (!listed.has(name))
      problems.push(`${readme}: ${name} is read by the service but missing from the config table`);
  }
  for (const name of sorted(listed)) {
    if (!config.names.has(name))
      problems.push(`${readme}: ${name} is documented but the service does not read it`);
  }
  const seen = new Set<string>();
  for (const name of readmeNames) {
    if (seen.has(name)) problems.push(`${readme}: ${name} appears twice in the config table`);
    seen.add(name);
  }
  return problems;
}

/** Names a compose service, Dockerfile or template sets must all be variables the code reads. */
export function unknownVariableProblems(
  config: ServiceConfig,
  setNames: Iterable<string>,
  where: string,
  alsoAllowed: readonly string[] = [],
): string[] {
  return sorted(setNames)
    .filter((name) => !config.names.has(name) && !alsoAllowed.includes(name))
    .map((name) => `${where} sets ${name}, which the service does not read (not in --describe-config)`);
}

/**
 * A chart sets each variable in exactly one way: either the deployment template sets it from
 * structured values (ports, store Secret, OTLP endpoint…) or it is a key of `env` in values.yaml (an
 * empty value leaves the service's default). Together they cover every variable the code reads and
 * nothing else; values.schema.json accepts exactly the `env` keys (typos fail at install) and, for
 * variables with a fixed set of values, only those.
 */
export function chartEnvProblems(
  config: ServiceConfig,
  chart: Chart,
  templateNames: readonly string[],
): string[] {
  const problems: string[] = [];
  const envMap = valueAt(chart.values, ['env']);
  const envKeys =
    typeof envMap === 'object' && envMap !== null && !Array.isArray(envMap) ? Object.keys(envMap) : undefined;
  if (!envKeys) return [`${chart.dir}/values.yaml: no \`env\` map`];
  const fromTemplate = new Set(templateNames);
  const fromEnv = new Set(envKeys);

  for (const name of sorted(fromEnv)) {
    if (fromTemplate.has(name)) {
      problems.push(
        `${chart.dir}: ${name} is set by the deployment template and is also a key of env (pick one)`,
      );
    }
  }
  problems.push(...unknownVariableProblems(config, fromTemplate, `${chart.dir}/templates/deployment.yaml`));
  problems.push(...unknownVariableProblems(config, fromEnv, `${chart.dir}/values.yaml env`));
  for (const variable of config.variables) {
    if (!fromTemplate.has(variable.name) && !fromEnv.has(variable.name)) {
      problems.push(
        `${chart.dir}: ${variable.name} cannot be set — add \`${variable.name}: ""\` under env in values.yaml (and to values.schema.json)`,
      );
    }
  }

  const envSchema = valueAt(chart.schema as Record<string, unknown>, ['properties', 'env']) as
    | { properties?: Record<string, { type?: string; enum?: string[] }>; additionalProperties?: unknown }
    | undefined;
  if (!envSchema?.properties) return [...problems, `${chart.dir}/values.schema.json: no properties for env`];
  if (envSchema.additionalProperties !== false) {
    problems.push(
      `${chart.dir}/values.schema.json: env must set additionalProperties: false (typos must fail)`,
    );
  }
  const schemaKeys = new Set(Object.keys(envSchema.properties));
  for (const name of sorted(fromEnv)) {
    if (!schemaKeys.has(name))
      problems.push(`${chart.dir}/values.schema.json: env.${name} is in values.yaml but not in the schema`);
  }
  for (const name of sorted(schemaKeys)) {
    if (!fromEnv.has(name))
      problems.push(`${chart.dir}/values.schema.json: env.${name} is in the schema but not in values.yaml`);
  }
  for (const variable of config.variables) {
    const property = envSchema.properties[variable.name];
    if (!property) continue;
    if (property.type !== 'string')
      problems.push(`${chart.dir}/values.schema.json: env.${variable.name} must be a string`);
    const allowed = enumeratedValues(variable);
    if (allowed && JSON.stringify(property.enum) !== JSON.stringify(['', ...allowed])) {
      problems.push(
        `${chart.dir}/values.schema.json: env.${variable.name} enum must be ${JSON.stringify(['', ...allowed])} (the service allows ${variable.allowed})`,
      );
    }
  }
  return problems;
}
