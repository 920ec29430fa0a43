import { parseArgs } from 'node:util';
import { createTallyClient } from '@tally/client';
import type { model } from '@tally/contracts';
import { describeCallFailure } from '../call-failure';
import { CommandFailure } from '../command-failure';
import { textTable } from '../text-table';
import { DEFAULT_MODEL_SERVER } from './score';

export const MODELS_USAGE = `tally models [--address HOST:PORT] [--json]

Lists every model in the model-server's repository: each version found on disk, its state (READY,
LOADING, UNLOADING, UNAVAILABLE, FAILED), whether Score serves it (SCHEMA: PASSED when the feature set
equals the schema the version was trained on; PENDING, DRIFTED or MISMATCHED when Score does not serve it)
and, for a version that is not serving, the reason; then each model's decision policy.

  --address  model-server address (default ${DEFAULT_MODEL_SERVER})
  --json     print the ListModels response as JSON

Exit status: 0 listed, 1 failure, 2 usage error.`;

const shortState = (state: string) => state.replace(/^MODEL_VERSION_STATE_/, '');
const schemaState = (v: model.ModelVersionStatus__Output) =>
  v.schemaCheck ? v.schemaCheck.state.replace(/^SCHEMA_CHECK_STATE_/, '') : '-';

export function modelsTable(models: readonly model.ModelStatus__Output[]): string {
  const rows = models.flatMap((m) =>
    m.versions.length === 0
      ? [[m.name, '-', 'NO VERSIONS', m.featureSet, '-', m.versionPolicy, '']]
      : m.versions.map((v) => [
          m.name,
          v.version,
          shortState(v.state),
          m.featureSet,
          schemaState(v),
          m.versionPolicy,
          v.reason || v.schemaCheck?.detail || '',
        ]),
  );
  if (rows.length === 0) return '(the model repository is empty)';
  const policies = models.map(
    (m) => `${m.name} decision policy: ${m.decisionPolicy?.summary || 'none (every vector is answered)'}`,
  );
  return [
    textTable(['MODEL', 'VERSION', 'STATE', 'FEATURE SET', 'SCHEMA', 'POLICY', 'REASON'], rows),
    '',
    ...policies,
  ].join('\n');
}

/** Runs `tally models`; returns the process exit status. */
export async function runModels(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      address: { type: 'string', default: DEFAULT_MODEL_SERVER },
      json: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const address = values.address!;
  const client = createTallyClient({ modelServer: address });
  try {
    const { models } = await client.scoring.listModels({ deadlineMs: 5000 });
    process.stdout.write(`${values.json ? JSON.stringify({ models }) : modelsTable(models)}\n`);
    return 0;
  } catch (err) {
    throw new CommandFailure(describeCallFailure(err, { service: 'model-server', address }));
  } finally {
    client.close();
  }
}
