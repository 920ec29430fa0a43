import { parseArgs } from 'node:util';
import { createTallyClient, toValueMap } from '@tally/client';
import { describeCallFailure } from '../call-failure';
import { CommandFailure } from '../command-failure';
import { parseAssignments, parseNumberFlag } from '../command-values';
import { CONNECTION_FLAGS, connectionOptions } from '../connection-flags';
import { textTable } from '../text-table';
import { UsageError } from '../usage-error';

export const FEATURES_GET_USAGE = `tally features get --feature-set NAME (--applicant ID | --key NAME=VALUE …)
                    [--context NAME=VALUE …] [--columns A,B,…] [--address HOST:PORT] [--json]
                    [connection flags]

get       one feature vector as the model would receive it (GetFeatureVectors): each column's value,
          status and event time; --columns shows only the named columns`;

const statusName = (s: string) => s.replace('FEATURE_STATUS_', '');

/** Runs `tally features get`; returns the process exit status. */
export async function runFeaturesGet(args: string[], defaultAddress: string): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      ...CONNECTION_FLAGS,
      'feature-set': { type: 'string' },
      applicant: { type: 'string' },
      key: { type: 'string', multiple: true, default: [] },
      context: { type: 'string', multiple: true, default: [] },
      columns: { type: 'string', default: '' },
      address: { type: 'string', default: defaultAddress },
      json: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (!values['feature-set']) throw new UsageError('get: --feature-set is required');
  const keys = parseAssignments('key', values.key!);
  if (values.applicant !== undefined)
    keys.applicant_id = parseNumberFlag('applicant', values.applicant, { integer: true });
  if (Object.keys(keys).length === 0) throw new UsageError('get: give --applicant ID (or --key NAME=VALUE)');
  const context = parseAssignments('context', values.context!);
  const only = values.columns!.split(',').filter(Boolean);
  const address = values.address!;
  const client = createTallyClient({ featureService: address, options: connectionOptions(values) });
  try {
    const res = await client.features.getFeatureVectors(
      {
        featureSet: values['feature-set'],
        entities: [{ keys: toValueMap(keys) }],
        context: toValueMap(context),
      },
      { deadlineMs: 5000 },
    );
    const vector = res.vectors[0];
    const rows = res.columns
      .map((column, i) => ({
        column,
        value: vector?.values[i] ?? 0,
        status: statusName(vector?.statuses[i] ?? ''),
        eventTimeUnixMs: Number(vector?.eventTimesUnixMs[i] ?? 0),
      }))
      .filter((row) => only.length === 0 || only.includes(row.column));
    const unknown = only.filter((c) => !res.columns.includes(c));
    if (unknown.length > 0) throw new UsageError(`--columns: ${unknown.join(', ')} not in ${res.featureSet}`);
    if (values.json) {
      process.stdout.write(`${JSON.stringify({ featureSet: res.featureSet, keys, columns: rows })}\n`);
    } else {
      const table = textTable(
        ['COLUMN', 'VALUE', 'STATUS', 'EVENT TIME'],
        rows.map((r) => [
          r.column,
          String(Number(r.value.toPrecision(7))),
          r.status,
          r.eventTimeUnixMs > 0 ? new Date(r.eventTimeUnixMs).toISOString() : '-',
        ]),
      );
      process.stdout.write(`${table}\n`);
    }
    return 0;
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new CommandFailure(describeCallFailure(err, { service: 'feature-service', address }));
  } finally {
    client.close();
  }
}
