import { parseArgs } from 'node:util';
import { CONNECTION_FLAGS, CONNECTION_USAGE, connectionOptions } from '../connection-flags';
import { serviceHealth } from '../service-health';
import { textTable } from '../text-table';
import { DEFAULT_FEATURE_SERVICE } from './features';
import { DEFAULT_MODEL_SERVER } from './score';

export const STATUS_USAGE = `tally status [--feature-service HOST:PORT] [--model-server HOST:PORT] [--json] [connection flags]

Asks both services for their gRPC health (grpc.health.v1): SERVING, NOT_SERVING (starting or
stopping) or UNREACHABLE.

  --feature-service  feature-service address (default ${DEFAULT_FEATURE_SERVICE})
  --model-server     model-server address (default ${DEFAULT_MODEL_SERVER})
  --json             print the statuses as JSON

${CONNECTION_USAGE}

Exit status: 0 both SERVING, 1 otherwise, 2 usage error.`;

/** Runs `tally status`; returns the process exit status. */
export async function runStatus(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      'feature-service': { type: 'string', default: DEFAULT_FEATURE_SERVICE },
      'model-server': { type: 'string', default: DEFAULT_MODEL_SERVER },
      json: { type: 'boolean', default: false },
      ...CONNECTION_FLAGS,
    },
    strict: true,
  });
  const services = [
    { service: 'feature-service', address: values['feature-service']! },
    { service: 'model-server', address: values['model-server']! },
  ];
  const connection = connectionOptions(values);
  const statuses = await Promise.all(
    services.map(async (s) => ({ ...s, status: await serviceHealth(s.address, connection) })),
  );
  process.stdout.write(
    `${
      values.json
        ? JSON.stringify({ services: statuses })
        : textTable(
            ['SERVICE', 'ADDRESS', 'HEALTH'],
            statuses.map((s) => [s.service, s.address, s.status]),
          )
    }\n`,
  );
  return statuses.every((s) => s.status === 'SERVING') ? 0 : 1;
}
