import { AGGREGATIONS, FIELD_AGGREGATIONS, tileSizeFor } from '@tally/windows';
import type { AggregationFunction } from '@tally/windows';
import { parseDuration } from './duration';
import { MAX_NAME_LENGTH, NAME } from './registry-fields';
import type { Fields } from './registry-fields';
import type {
  AggregationFeature,
  Entity,
  EventField,
  EventFieldType,
  EventFilter,
  EventSource,
  Series,
} from './registry-types';

const EVENT_FIELD_TYPES: readonly EventFieldType[] = ['float', 'int', 'bool', 'categorical', 'string'];
/** Most raw-event retention a source may declare (about ten years). */
const MAX_RETENTION_MS = 3660 * 86_400_000;

/** The store id of a series: `<field or *>[|<filter field>=<level>]`. */
function seriesId(field: EventField | undefined, filter: EventFilter | undefined): string {
  return `${field?.name ?? '*'}${filter ? `|${filter.field.name}=${filter.level}` : ''}`;
}

function readFields(f: Fields): EventField[] {
  const fields: EventField[] = [];
  for (const ff of f.mappings('fields', true)) {
    ff.allowOnly(['name', 'type', 'levels', 'description']);
    const name = ff.name();
    if (fields.some((x) => x.name === name)) throw ff.error('name', `duplicate field '${name}'`);
    const type = ff.oneOf('type', EVENT_FIELD_TYPES);
    const levels = type === 'string' ? ff.levels('float') : ff.levels(type);
    fields.push({ name, type, levels, description: ff.text('description') });
  }
  return fields;
}

function readFilter(f: Fields, fields: readonly EventField[]): EventFilter | undefined {
  const raw = f.at.raw.filter;
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw f.error('filter', 'expected a mapping { field: <categorical field>, equals: <level> }');
  }
  const entries = raw as Record<string, unknown>;
  for (const key of Object.keys(entries)) {
    if (key !== 'field' && key !== 'equals')
      throw f.error(`filter.${key}`, 'unknown field (allowed: field, equals)');
  }
  const field = fields.find((x) => x.name === entries.field);
  if (field === undefined)
    throw f.error('filter.field', `expected a field of the source, got '${String(entries.field)}'`);
  if (field.type !== 'categorical') throw f.error('filter.field', `'${field.name}' is not categorical`);
  const level = entries.equals;
  if (typeof level !== 'string' || !field.levels.includes(level)) {
    throw f.error(
      'filter.equals',
      `expected one of the levels of '${field.name}' (${field.levels.join(', ')})`,
    );
  }
  return { field, level };
}

function readAggregations(
  f: Fields,
  sourceName: string,
  fields: readonly EventField[],
  series: Map<string, Series>,
): AggregationFeature[] {
  const features: AggregationFeature[] = [];
  for (const af of f.mappings('aggregations', true)) {
    af.allowOnly(['name', 'function', 'field', 'filter', 'windows', 'default', 'description']);
    const baseName = af.name();
    const fn = af.oneOf('function', AGGREGATIONS) as AggregationFunction;
    let field: EventField | undefined;
    const rawField = af.at.raw.field;
    if (FIELD_AGGREGATIONS.includes(fn) || (fn === 'time_since_last' && rawField !== undefined)) {
      field = fields.find((x) => x.name === rawField);
      if (field === undefined) {
        throw af.error('field', `required for ${fn}: a float or int field of '${sourceName}'`);
      }
      if (field.type !== 'float' && field.type !== 'int') {
        throw af.error('field', `${fn} needs a float or int field; '${field.name}' is ${field.type}`);
      }
    } else if (rawField !== undefined) {
      throw af.error('field', `${fn} counts events and takes no field`);
    }
    const filter = readFilter(af, fields);
    const id = seriesId(field, filter);
    if (!series.has(id)) series.set(id, { id, field, filter });
    const type: 'int' | 'float' =
      fn === 'count' ? 'int' : ['min', 'max', 'last'].includes(fn) && field?.type === 'int' ? 'int' : 'float';
    const hasDefault = af.at.raw.default !== undefined && af.at.raw.default !== null;
    if (!hasDefault && fn !== 'count' && fn !== 'sum') {
      throw af.error('default', `required for ${fn}: the value served when the window holds no event`);
    }
    const defaultValue = hasDefault ? (af.typedDefault(type, []) as number) : 0;
    const windows = af.list('windows', true);
    windows.forEach((rawWindow, j) => {
      const windowMs = parseDuration(rawWindow);
      const tileMs = windowMs === undefined ? undefined : tileSizeFor(windowMs);
      if (windowMs === undefined || tileMs === undefined) {
        throw af.error(
          `windows[${j}]`,
          'expected a duration such as 1h, 24h, 7d or 30d: whole minutes, at most 96d, and a multiple of 5m above 96m, of 15m above 8h, of 1h above 24h, of 2h above 4d, of 8h above 8d, of 1d above 32d',
        );
      }
      // The window as written (24h stays 24h), so column names read like the definition.
      const name = `${baseName}_${String(rawWindow).trim()}`;
      if (!NAME.test(name) || name.length > MAX_NAME_LENGTH) {
        throw af.error('name', `feature name '${name}' is longer than ${MAX_NAME_LENGTH} characters`);
      }
      const clash = features.find((x) => x.name === name);
      if (clash !== undefined) throw af.error(`windows[${j}]`, `feature '${name}' is declared twice`);
      features.push({
        name,
        baseName,
        function: fn,
        series: series.get(id)!,
        windowMs,
        tileMs,
        type,
        default: defaultValue,
        description: af.text('description'),
      });
    });
  }
  return features;
}

/** Validates the `event_sources` section; names must not clash with feature views. */
export function compileEventSources(
  sections: readonly Fields[],
  entities: ReadonlyMap<string, Entity>,
  viewNames: ReadonlySet<string>,
): Map<string, EventSource> {
  const sources = new Map<string, EventSource>();
  for (const f of sections) {
    f.allowOnly(['name', 'entity', 'description', 'retention', 'fields', 'aggregations']);
    const name = f.name();
    const existing = sources.get(name);
    if (existing !== undefined)
      throw f.error('name', `duplicate event source '${name}' (also declared in ${existing.file})`);
    if (viewNames.has(name) || name === 'context' || name === 'on_demand') {
      throw f.error(
        'name',
        `'${name}' is already a feature view or a reserved prefix; feature sets could not tell them apart`,
      );
    }
    const entityName = f.name('entity');
    const entity = entities.get(entityName);
    if (entity === undefined) throw f.error('entity', `unknown entity '${entityName}'`);
    const rawRetention = f.at.raw.retention;
    const retentionMs = rawRetention === undefined || rawRetention === null ? 0 : parseDuration(rawRetention);
    if (retentionMs === undefined || retentionMs > MAX_RETENTION_MS) {
      throw f.error('retention', 'expected a duration with a unit (m, h, d), e.g. 400d, of at most 3660d');
    }
    const fields = readFields(f);
    const series = new Map<string, Series>();
    const aggregations = readAggregations(f, name, fields, series);
    const tiling = new Map<string, { series: Series; tileMs: number }>();
    for (const a of aggregations)
      tiling.set(`${a.series.id}/${a.tileMs}`, { series: a.series, tileMs: a.tileMs });
    sources.set(name, {
      name,
      entity,
      fields,
      aggregations,
      tiling: [...tiling.values()],
      longestWindowMs: Math.max(...aggregations.map((a) => a.windowMs)),
      retentionMs,
      description: f.text('description'),
      file: f.at.file,
    });
  }
  return sources;
}
