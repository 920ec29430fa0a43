import type { feature } from '@tally/contracts';
import { InvalidArgumentError, NotFoundError } from '@tally/grpc-kit';
import { columnsOf } from '../registry';
import type { FeatureSet, FeatureType, Registry, SetFeature, TypedField } from '../registry';
import { toValue } from '../vectors';

const VALUE_TYPES: Record<FeatureType | 'string', feature.ValueType> = {
  float: 'VALUE_TYPE_FLOAT',
  int: 'VALUE_TYPE_INT',
  bool: 'VALUE_TYPE_BOOL',
  categorical: 'VALUE_TYPE_CATEGORICAL',
  string: 'VALUE_TYPE_STRING',
};

function encodingOf(field: TypedField): feature.CategoricalEncoding {
  if (field.type !== 'categorical') return 'CATEGORICAL_ENCODING_UNSPECIFIED';
  return field.encoding === 'one_hot' ? 'CATEGORICAL_ENCODING_ONE_HOT' : 'CATEGORICAL_ENCODING_ORDINAL';
}

/** The contract's description of a feature set. */
export function describeSet(set: FeatureSet): feature.FeatureSetSchema {
  return {
    name: set.name,
    description: set.description,
    entityKeys: set.entities.map((e) => ({ name: e.joinKey, type: VALUE_TYPES[e.keyType], entity: e.name })),
    features: set.features.map((f): feature.FeatureSpec => {
      const columns = columnsOf(f);
      if (f.source === 'stored') {
        return {
          name: f.name,
          source: 'FEATURE_SOURCE_STORED',
          view: f.view.name,
          type: VALUE_TYPES[f.feature.type],
          defaultValue: toValue(f.feature.default, f.feature.type),
          levels: [...f.feature.levels],
          encoding: encodingOf(f.feature),
          columns,
          maxAgeMs: f.view.maxAgeMs,
          description: f.feature.description,
        };
      }
      if (f.source === 'request') {
        return {
          name: f.name,
          source: 'FEATURE_SOURCE_REQUEST',
          type: VALUE_TYPES[f.field.type],
          defaultValue: toValue(f.field.default, f.field.type),
          levels: [...f.field.levels],
          encoding: encodingOf(f.field),
          columns,
          description: f.field.description,
        };
      }
      if (f.source === 'aggregation') return describeAggregation(f, columns);
      return {
        name: f.name,
        source: 'FEATURE_SOURCE_ON_DEMAND',
        type: 'VALUE_TYPE_FLOAT',
        defaultValue: toValue(f.onDemand.default, 'float'),
        columns,
        description: f.onDemand.description
          ? `${f.onDemand.description} (= ${f.onDemand.expression})`
          : `= ${f.onDemand.expression}`,
      };
    }),
    columns: [...set.columns],
    contextFields: set.context.map((c) => ({
      name: c.name,
      type: VALUE_TYPES[c.type],
      required: c.required,
      levels: [...c.levels],
      description: c.description,
    })),
    fingerprint: set.fingerprint,
    eventSources: set.eventSources.map((s) => s.name),
  };
}

function describeAggregation(
  f: Extract<SetFeature, { source: 'aggregation' }>,
  columns: string[],
): feature.FeatureSpec {
  const a = f.aggregation;
  const filter = a.series.filter;
  return {
    name: f.name,
    source: 'FEATURE_SOURCE_AGGREGATION',
    type: VALUE_TYPES[a.type],
    defaultValue: toValue(a.default, a.type),
    columns,
    description: a.description,
    eventSource: f.eventSource.name,
    aggregation: a.function,
    field: a.series.field?.name ?? '',
    windowMs: a.windowMs,
    tileMs: a.tileMs,
    filter: filter ? `${filter.field.name} == ${filter.level}` : '',
  };
}

/** The feature set named `name`: INVALID_ARGUMENT when empty, NOT_FOUND when unknown. */
export function findFeatureSet(registry: Registry, name: string, field: string): FeatureSet {
  if (!name) throw new InvalidArgumentError(field, 'required: a feature set name');
  const set = registry.featureSets.get(name);
  if (set === undefined) {
    const known = [...registry.featureSets.keys()].sort().join(', ') || 'none';
    throw new NotFoundError('feature set', name, `known: ${known}`);
  }
  return set;
}

export function listFeatureSets(registry: Registry): feature.ListFeatureSetsResponse {
  return {
    featureSets: [...registry.featureSets.values()]
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((s) => ({
        name: s.name,
        description: s.description,
        width: s.columns.length,
        fingerprint: s.fingerprint,
      })),
  };
}

export function describeFeatureSet(registry: Registry, name: string): feature.DescribeFeatureSetResponse {
  return { featureSet: describeSet(findFeatureSet(registry, name, 'name')) };
}
