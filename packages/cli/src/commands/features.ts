import { parseArgs } from 'node:util';
import { createTallyClient, fromValue } from '@tally/client';
import type { feature } from '@tally/contracts';
import { describeCallFailure } from '../call-failure';
import { CommandFailure } from '../command-failure';
import { CONNECTION_FLAGS, CONNECTION_USAGE, connectionOptions } from '../connection-flags';
import { textTable } from '../text-table';
import { UsageError } from '../usage-error';
import { FEATURES_GET_USAGE, runFeaturesGet } from './features-get';

export const DEFAULT_FEATURE_SERVICE = '127.0.0.1:50051';

export const FEATURES_USAGE = `tally features list [--address HOST:PORT] [--json] [connection flags]
tally features describe FEATURE_SET [--address HOST:PORT] [--json] [connection flags]
${FEATURES_GET_USAGE}

list      every feature set in the feature-service's registry, with its width (the model's input
          width) and fingerprint
describe  one feature set: its entity keys, the request-context fields it reads, and each feature in
          vector order with its source (stored view, request, on-demand), type, default, encoding,
          max age and the 0-based index of the vector columns it fills

  --address  feature-service address (default ${DEFAULT_FEATURE_SERVICE})
  --json     print the response as JSON

${CONNECTION_USAGE}

Exit status: 0 done, 1 failure (e.g. unknown feature set), 2 usage error.`;

const lower = (name: string, prefix: string) => name.replace(prefix, '').toLowerCase().replace(/_/g, '-');
const typeName = (type: string) => lower(type, 'VALUE_TYPE_');

function sourceName(spec: feature.FeatureSpec__Output): string {
  switch (spec.source) {
    case 'FEATURE_SOURCE_STORED':
      return `stored (${spec.view})`;
    case 'FEATURE_SOURCE_REQUEST':
      return 'request';
    case 'FEATURE_SOURCE_ON_DEMAND':
      return 'on-demand';
    case 'FEATURE_SOURCE_AGGREGATION': {
      // e.g. "sum(amount) 7d of purchase_attempts where decision == declined"
      const filter = spec.filter ? ` where ${spec.filter}` : '';
      const window = formatMaxAge(Number(spec.windowMs));
      return `${spec.aggregation}(${spec.field}) ${window} of ${spec.eventSource}${filter}`;
    }
    default:
      return lower(spec.source, 'FEATURE_SOURCE_');
  }
}

/** A duration in ms the way the registry writes it (3650d, 12h, 30m, 45s), or "none" for 0. */
export function formatMaxAge(ms: number): string {
  if (ms === 0) return 'none';
  for (const [unit, size] of [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
  ] as const) {
    if (ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

function levelsText(levels: readonly string[]): string {
  if (levels.length === 0) return '';
  if (levels.length <= 4) return levels.join(', ');
  return `${levels[0]} … ${levels[levels.length - 1]} (${levels.length} levels)`;
}

function encodingText(spec: feature.FeatureSpec__Output): string {
  if (spec.type !== 'VALUE_TYPE_CATEGORICAL') return '';
  return `${lower(spec.encoding, 'CATEGORICAL_ENCODING_')}: ${levelsText(spec.levels)}`;
}

function defaultText(spec: feature.FeatureSpec__Output): string {
  const value = fromValue(spec.defaultValue ?? undefined);
  if (value !== null) return String(value);
  return spec.source === 'FEATURE_SOURCE_REQUEST' ? '(none)' : '';
}

export function describeText(set: feature.FeatureSetSchema__Output): string {
  let position = 0;
  const featureRows = set.features.map((spec, i) => {
    const first = position;
    position += spec.columns.length;
    const columns = spec.columns.length === 1 ? `${first}` : `${first}-${position - 1}`;
    return [
      String(i + 1),
      spec.name,
      sourceName(spec),
      typeName(spec.type),
      defaultText(spec),
      encodingText(spec),
      spec.source === 'FEATURE_SOURCE_STORED' ? formatMaxAge(Number(spec.maxAgeMs)) : '',
      columns,
    ];
  });
  const contextRows = set.contextFields.map((field) => [
    field.name,
    typeName(field.type),
    field.required ? 'yes' : 'no',
    levelsText(field.levels),
    field.description,
  ]);
  return [
    `feature set  ${set.name}`,
    `             ${set.description}`,
    `entity keys  ${set.entityKeys.map((k) => `${k.name} (${typeName(k.type)}, entity ${k.entity})`).join(', ')}`,
    `width        ${set.columns.length} columns`,
    `fingerprint  ${set.fingerprint}`,
    '',
    'Request context:',
    contextRows.length === 0
      ? '  (none)'
      : textTable(['NAME', 'TYPE', 'REQUIRED', 'LEVELS', 'DESCRIPTION'], contextRows),
    '',
    'Features, in vector order:',
    textTable(['#', 'NAME', 'SOURCE', 'TYPE', 'DEFAULT', 'ENCODING', 'MAX AGE', 'INDEX'], featureRows),
  ].join('\n');
}

export function listText(sets: readonly feature.FeatureSetSummary__Output[]): string {
  if (sets.length === 0) return '(the registry has no feature sets)';
  return textTable(
    ['NAME', 'WIDTH', 'FINGERPRINT', 'DESCRIPTION'],
    sets.map((s) => [s.name, String(s.width), s.fingerprint, s.description]),
  );
}

/** Runs `tally features list|describe|get`; returns the process exit status. */
export async function runFeatures(args: string[]): Promise<number> {
  if (args[0] === 'get') return runFeaturesGet(args.slice(1), DEFAULT_FEATURE_SERVICE);
  const { values, positionals } = parseArgs({
    args,
    options: {
      address: { type: 'string', default: DEFAULT_FEATURE_SERVICE },
      json: { type: 'boolean', default: false },
      ...CONNECTION_FLAGS,
    },
    allowPositionals: true,
    strict: true,
  });
  const [action, name, ...extra] = positionals;
  if (action !== 'list' && action !== 'describe') {
    throw new UsageError(action === undefined ? 'give list or describe' : `unknown action '${action}'`);
  }
  if (action === 'describe' && name === undefined) throw new UsageError('describe: give a feature set name');
  const unexpected = action === 'list' ? [name, ...extra] : extra;
  if (unexpected.some((x) => x !== undefined)) {
    throw new UsageError(`unexpected argument '${unexpected.find((x) => x !== undefined)}'`);
  }
  const address = values.address!;
  const client = createTallyClient({ featureService: address, options: connectionOptions(values) });
  try {
    if (action === 'list') {
      const { featureSets } = await client.features.listFeatureSets({ deadlineMs: 5000 });
      process.stdout.write(`${values.json ? JSON.stringify({ featureSets }) : listText(featureSets)}\n`);
    } else {
      const { featureSet } = await client.features.describeFeatureSet(name!, { deadlineMs: 5000 });
      if (featureSet === null)
        throw new CommandFailure(`the feature-service described no feature set '${name}'`);
      process.stdout.write(`${values.json ? JSON.stringify({ featureSet }) : describeText(featureSet)}\n`);
    }
    return 0;
  } catch (err) {
    if (err instanceof CommandFailure) throw err;
    throw new CommandFailure(describeCallFailure(err, { service: 'feature-service', address }));
  } finally {
    client.close();
  }
}
