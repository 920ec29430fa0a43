import { execFileSync } from 'node:child_process';
import { repoPath } from './repo-root';
import type { TallyService } from './tally-services';

/** One environment variable as `node dist/main.js --describe-config` prints it. */
export interface ServiceVariable {
  name: string;
  default: string;
  required: boolean;
  allowed: string;
  description: string;
}

/** A service's configuration spec, with the defaults the deployment checks need most. */
export interface ServiceConfig {
  readonly variables: readonly ServiceVariable[];
  readonly names: ReadonlySet<string>;
  /** Default of GRPC_PORT / METRICS_PORT (the ports the service listens on when not told otherwise). */
  readonly grpcPort: number;
  readonly metricsPort: number;
}

const cache = new Map<string, ServiceConfig>();

function portDefault(service: TallyService, variables: readonly ServiceVariable[], name: string): number {
  const variable = variables.find((v) => v.name === name);
  const port = Number(variable?.default);
  if (!variable || !Number.isInteger(port) || port <= 0) {
    throw new Error(`${service.name}: --describe-config has no numeric default for ${name}`);
  }
  return port;
}

/**
 * Runs the compiled service with `--describe-config` (the single source of truth for what it reads)
 * and returns its spec. Requires `tsc -b` to have run (`pnpm test` does).
 */
export function describeServiceConfig(service: TallyService): ServiceConfig {
  const cached = cache.get(service.name);
  if (cached) return cached;
  let output: string;
  try {
    output = execFileSync(process.execPath, [repoPath(service.main), '--describe-config'], {
      encoding: 'utf8',
      timeout: 20000,
    });
  } catch (err) {
    throw new Error(
      `${service.name}: \`node ${service.main} --describe-config\` failed (run \`npx tsc -b\` first): ${String(err)}`,
    );
  }
  const variables = JSON.parse(output) as ServiceVariable[];
  const config: ServiceConfig = {
    variables,
    names: new Set(variables.map((v) => v.name)),
    grpcPort: portDefault(service, variables, 'GRPC_PORT'),
    metricsPort: portDefault(service, variables, 'METRICS_PORT'),
  };
  cache.set(service.name, config);
  return config;
}

/** The values a variable accepts when its `allowed` text is "one of a, b, c"; undefined otherwise. */
export function enumeratedValues(variable: ServiceVariable): string[] | undefined {
  const match = /^one of (.+)$/.exec(variable.allowed);
  return match ? match[1].split(',').map((v) => v.trim()) : undefined;
}
