import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { parseDuration } from './duration';
import { ExpressionError, compileExpression } from './expression';
import { compileEventSources } from './load-event-sources';
import { Fields } from './registry-fields';
import type { Raw } from './registry-fields';
import { RegistryError } from './registry-error';
import { aggregationFeature, aggregationFingerprint } from './set-aggregation-feature';
import type {
  ContextFieldDef,
  Entity,
  FeatureSet,
  FeatureType,
  FeatureView,
  KeyType,
  OnDemandFeature,
  Registry,
  SetFeature,
  StalePolicy,
  ViewFeature,
} from './registry-types';

const FEATURE_TYPES: readonly FeatureType[] = ['float', 'int', 'bool', 'categorical'];
const KEY_TYPES: readonly KeyType[] = ['int', 'string'];
const STALE_POLICIES: readonly StalePolicy[] = ['default', 'keep'];
const TOP_LEVEL_KEYS = [
  'entities',
  'feature_views',
  'on_demand_features',
  'event_sources',
  'feature_sets',
] as const;

/** The definition files under `registryPath`: the file itself, or the `*.yaml`/`*.yml` files of the folder (not recursive). */
export function registryFiles(registryPath: string): string[] {
  const stat = fs.statSync(registryPath, { throwIfNoEntry: false });
  if (stat === undefined) throw new RegistryError(registryPath, '(path)', 'no such file or folder');
  if (stat.isFile()) return [registryPath];
  return fs
    .readdirSync(registryPath, { withFileTypes: true })
    .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name))
    .map((e) => path.join(registryPath, e.name))
    .sort();
}

/** Reads and validates every definition file; throws RegistryError at the first problem. */
export function loadRegistry(registryPath: string): Registry {
  const sections: Record<(typeof TOP_LEVEL_KEYS)[number], Fields[]> = {
    entities: [],
    feature_views: [],
    on_demand_features: [],
    event_sources: [],
    feature_sets: [],
  };
  for (const file of registryFiles(registryPath)) {
    let document: unknown;
    try {
      document = parseYaml(fs.readFileSync(file, 'utf8'));
    } catch (err) {
      throw new RegistryError(file, '(yaml)', err instanceof Error ? err.message : String(err));
    }
    if (document === null || document === undefined) continue;
    const top = new Fields({ file, path: '', raw: document as Raw });
    if (typeof document !== 'object' || Array.isArray(document)) {
      throw new RegistryError(file, '(document)', `expected a mapping with ${TOP_LEVEL_KEYS.join(', ')}`);
    }
    for (const key of Object.keys(document)) {
      if (!(TOP_LEVEL_KEYS as readonly string[]).includes(key)) {
        throw new RegistryError(file, key, `unknown section (allowed: ${TOP_LEVEL_KEYS.join(', ')})`);
      }
    }
    for (const key of TOP_LEVEL_KEYS) {
      const items = top
        .mappings(key, false)
        .map((f) => new Fields({ ...f.at, path: f.at.path.replace(/^\./, '') }));
      sections[key].push(...items);
    }
  }
  return compile(sections);
}

/** Column names the online store uses itself, so a join key may not take them. */
const RESERVED_JOIN_KEYS = [
  'event_time_ms',
  'written_at_ms',
  'event_id',
  'write_token',
  'series',
  'tile_ms',
  'tile_start_ms',
  'event_count',
  'value_sum',
  'value_min',
  'value_max',
  'last_value',
  'last_time_ms',
];

function joinKeyOf(f: Fields): string {
  const joinKey = f.name('join_key');
  if (RESERVED_JOIN_KEYS.includes(joinKey))
    throw f.error('join_key', `'${joinKey}' is reserved by the store`);
  return joinKey;
}

function unique<T>(
  map: Map<string, T>,
  name: string,
  f: Fields,
  kind: string,
  fileOf: (t: T) => string,
): void {
  const existing = map.get(name);
  if (existing !== undefined)
    throw f.error('name', `duplicate ${kind} '${name}' (also declared in ${fileOf(existing)})`);
}

function compile(sections: Record<(typeof TOP_LEVEL_KEYS)[number], Fields[]>): Registry {
  const entities = new Map<string, Entity & { file: string }>();
  for (const f of sections.entities) {
    f.allowOnly(['name', 'join_key', 'type', 'description']);
    const name = f.name();
    unique(entities, name, f, 'entity', (e) => e.file);
    entities.set(name, {
      name,
      joinKey: joinKeyOf(f),
      keyType: f.oneOf('type', KEY_TYPES),
      description: f.text('description'),
      file: f.at.file,
    });
  }

  const views = new Map<string, FeatureView>();
  for (const f of sections.feature_views) {
    f.allowOnly(['name', 'entity', 'max_age', 'stale_policy', 'description', 'features']);
    const name = f.name();
    unique(views, name, f, 'feature view', (v) => v.file);
    const entityName = f.name('entity');
    const entity = entities.get(entityName);
    if (entity === undefined) throw f.error('entity', `unknown entity '${entityName}'`);
    const rawMaxAge = f.at.raw.max_age;
    const maxAgeMs = rawMaxAge === undefined || rawMaxAge === null ? 0 : parseDuration(rawMaxAge);
    if (maxAgeMs === undefined)
      throw f.error('max_age', 'expected a number with a unit (ms, s, m, h, d), e.g. 30d, or 0');
    const features: ViewFeature[] = [];
    for (const ff of f.mappings('features', true)) {
      ff.allowOnly(['name', 'type', 'levels', 'encoding', 'default', 'description']);
      const featureName = ff.name();
      if (features.some((x) => x.name === featureName))
        throw ff.error('name', `duplicate feature '${featureName}'`);
      const type = ff.oneOf('type', FEATURE_TYPES);
      const levels = ff.levels(type);
      features.push({
        name: featureName,
        type,
        levels,
        encoding: ff.encoding(type),
        default: ff.typedDefault(type, levels),
        description: ff.text('description'),
      });
    }
    views.set(name, {
      name,
      entity,
      maxAgeMs,
      stalePolicy: f.oneOf('stale_policy', STALE_POLICIES, 'default'),
      features,
      description: f.text('description'),
      file: f.at.file,
    });
  }

  const onDemand = new Map<string, OnDemandFeature & { identifiers: readonly string[] }>();
  const compiled = new Map<string, ReturnType<typeof compileExpression>>();
  for (const f of sections.on_demand_features) {
    f.allowOnly(['name', 'type', 'default', 'expression', 'description']);
    const name = f.name();
    unique(onDemand, name, f, 'on-demand feature', (o) => o.file);
    f.oneOf('type', ['float'] as const);
    const expression = f.at.raw.expression;
    if (typeof expression !== 'string' || expression.trim() === '')
      throw f.error('expression', 'required: expected text');
    let program: ReturnType<typeof compileExpression>;
    try {
      program = compileExpression(expression);
    } catch (err) {
      if (err instanceof ExpressionError) throw f.error('expression', err.message);
      throw err;
    }
    compiled.set(name, program);
    onDemand.set(name, {
      name,
      type: 'float',
      default: f.typedDefault('float', []) as number,
      expression,
      description: f.text('description'),
      file: f.at.file,
      identifiers: program.identifiers,
    });
  }

  const eventSources = compileEventSources(sections.event_sources, entities, new Set(views.keys()));

  const featureSets = new Map<string, FeatureSet & { file: string }>();
  for (const f of sections.feature_sets) {
    f.allowOnly(['name', 'entities', 'description', 'context', 'features']);
    const name = f.name();
    unique(featureSets, name, f, 'feature set', (s) => s.file);
    const setEntities = f.list('entities', true).map((e, i) => {
      const entity = typeof e === 'string' ? entities.get(e) : undefined;
      if (entity === undefined) throw f.error(`entities[${i}]`, `unknown entity '${String(e)}'`);
      return entity;
    });
    setEntities.forEach((e, i) => {
      if (setEntities.findIndex((o) => o.joinKey === e.joinKey) !== i) {
        throw f.error(`entities[${i}]`, `join key '${e.joinKey}' appears twice`);
      }
    });

    const context: ContextFieldDef[] = [];
    for (const cf of f.mappings('context', false)) {
      cf.allowOnly(['name', 'type', 'required', 'levels', 'encoding', 'default', 'description']);
      const fieldName = cf.name();
      if (context.some((c) => c.name === fieldName))
        throw cf.error('name', `duplicate context field '${fieldName}'`);
      const type = cf.oneOf('type', FEATURE_TYPES);
      const levels = cf.levels(type);
      const required = cf.boolean('required', false);
      const hasDefault = cf.at.raw.default !== undefined && cf.at.raw.default !== null;
      if (!required && !hasDefault) throw cf.error('default', 'required for an optional context field');
      context.push({
        name: fieldName,
        type,
        levels,
        encoding: cf.encoding(type),
        required,
        default: hasDefault ? cf.typedDefault(type, levels) : undefined,
        description: cf.text('description'),
      });
    }

    const features: SetFeature[] = [];
    const refs = f.list('features', true);
    refs.forEach((ref, i) => {
      const field = `features[${i}]`;
      const match = typeof ref === 'string' ? /^([a-z][a-z0-9_]*)\.([a-z][a-z0-9_]*)$/.exec(ref) : null;
      if (match === null)
        throw f.error(
          field,
          'expected <view>.<feature>, <event source>.<aggregation feature>, context.<field> or on_demand.<name>',
        );
      const [, prefix, featureName] = match as unknown as [string, string, string];
      let feature: SetFeature;
      if (prefix === 'context') {
        const contextField = context.find((c) => c.name === featureName);
        if (contextField === undefined)
          throw f.error(field, `context field '${featureName}' is not declared in context`);
        feature = { source: 'request', name: featureName, field: contextField };
      } else if (prefix === 'on_demand') {
        const definition = onDemand.get(featureName);
        if (definition === undefined) throw f.error(field, `unknown on-demand feature '${featureName}'`);
        const program = compiled.get(featureName)!;
        feature = {
          source: 'on_demand',
          name: featureName,
          onDemand: definition,
          evaluate: program.evaluate,
          inputs: program.identifiers,
        };
      } else if (eventSources.has(prefix)) {
        feature = aggregationFeature(f, field, eventSources.get(prefix)!, featureName, setEntities);
      } else {
        const view = views.get(prefix);
        if (view === undefined) throw f.error(field, `unknown feature view or event source '${prefix}'`);
        const viewFeature = view.features.find((x) => x.name === featureName);
        if (viewFeature === undefined)
          throw f.error(field, `feature view '${prefix}' has no feature '${featureName}'`);
        if (!setEntities.includes(view.entity as Entity & { file: string })) {
          throw f.error(
            field,
            `view '${prefix}' is keyed by entity '${view.entity.name}', which is not in entities`,
          );
        }
        feature = { source: 'stored', name: featureName, view, feature: viewFeature };
      }
      if (features.some((x) => x.name === feature.name)) {
        throw f.error(
          field,
          `a feature named '${feature.name}' is already in the set (names must be unique)`,
        );
      }
      features.push(feature);
    });

    // On-demand inputs: a context field or a numeric stored feature of this set.
    features.forEach((feature, i) => {
      if (feature.source !== 'on_demand') return;
      for (const input of feature.inputs) {
        const contextField = context.find((c) => c.name === input);
        const stored = features.find(
          (x) => (x.source === 'stored' || x.source === 'aggregation') && x.name === input,
        );
        const type =
          contextField?.type ??
          (stored?.source === 'stored'
            ? stored.feature.type
            : stored?.source === 'aggregation'
              ? stored.aggregation.type
              : undefined);
        if (type === undefined) {
          throw f.error(
            `features[${i}]`,
            `on-demand feature '${feature.name}' reads '${input}', which is neither a context field nor a stored or aggregation feature of this set`,
          );
        }
        if (type === 'categorical') {
          throw f.error(`features[${i}]`, `on-demand feature '${feature.name}' reads categorical '${input}'`);
        }
      }
    });

    const views_ = [...new Set(features.flatMap((x) => (x.source === 'stored' ? [x.view] : [])))];
    const columns = features.flatMap(columnsOf);
    const set: FeatureSet & { file: string } = {
      name,
      description: f.text('description'),
      entities: setEntities,
      context,
      features,
      columns,
      views: views_,
      eventSources: [
        ...new Set(features.flatMap((x) => (x.source === 'aggregation' ? [x.eventSource] : []))),
      ].sort((a, b) => (a.name < b.name ? -1 : 1)),
      fingerprint: fingerprintOf(name, setEntities, context, features, columns),
      file: f.at.file,
    };
    featureSets.set(name, set);
  }

  return { entities, views, onDemand, eventSources, featureSets };
}

/** The vector columns one feature produces. */
export function columnsOf(feature: SetFeature): string[] {
  const typed =
    feature.source === 'stored' ? feature.feature : feature.source === 'request' ? feature.field : null;
  if (typed !== null && typed.type === 'categorical' && typed.encoding === 'one_hot') {
    return typed.levels.map((level) => `${feature.name}=${level}`);
  }
  return [feature.name];
}

function fingerprintOf(
  name: string,
  entities: readonly Entity[],
  context: readonly ContextFieldDef[],
  features: readonly SetFeature[],
  columns: readonly string[],
): string {
  const canonical = {
    name,
    entities: entities.map((e) => [e.name, e.joinKey, e.keyType]),
    context: context.map((c) => [c.name, c.type, c.levels, c.encoding, c.required, c.default ?? null]),
    features: features.map((x) =>
      x.source === 'stored'
        ? [
            x.source,
            x.name,
            x.view.name,
            x.view.maxAgeMs,
            x.view.stalePolicy,
            x.feature.type,
            x.feature.levels,
            x.feature.encoding,
            x.feature.default,
          ]
        : x.source === 'request'
          ? [x.source, x.name]
          : x.source === 'aggregation'
            ? aggregationFingerprint(x)
            : [x.source, x.name, x.onDemand.expression, x.onDemand.default],
    ),
    columns,
  };
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}
