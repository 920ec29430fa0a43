import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { parseDuration } from './duration';
import { ExpressionError, compileExpression } from './expression';
import { RegistryError } from './registry-error';
import type {
  ContextFieldDef,
  Encoding,
  Entity,
  FeatureSet,
  FeatureType,
  FeatureView,
  KeyType,
  OnDemandFeature,
  Registry,
  Scalar,
  SetFeature,
  StalePolicy,
  ViewFeature,
} from './registry-types';

const NAME = /^[a-z][a-z0-9_]*$/;
const MAX_NAME_LENGTH = 48;
const MAX_LEVEL_LENGTH = 255;
const FEATURE_TYPES: readonly FeatureType[] = ['float', 'int', 'bool', 'categorical'];
const KEY_TYPES: readonly KeyType[] = ['int', 'string'];
const ENCODINGS: readonly Encoding[] = ['ordinal', 'one_hot'];
const STALE_POLICIES: readonly StalePolicy[] = ['default', 'keep'];
const TOP_LEVEL_KEYS = ['entities', 'feature_views', 'on_demand_features', 'feature_sets'] as const;

type Raw = Record<string, unknown>;

/** One definition with where it came from, so every message can name the file and field. */
interface Located {
  file: string;
  path: string;
  raw: Raw;
}

/** Reads a field of a definition, checking types and reporting `file: path.field: problem`. */
class Fields {
  constructor(readonly at: Located) {}

  error(field: string, problem: string): RegistryError {
    throw new RegistryError(this.at.file, field ? `${this.at.path}.${field}` : this.at.path, problem);
  }

  allowOnly(keys: readonly string[]): void {
    for (const key of Object.keys(this.at.raw)) {
      if (!keys.includes(key)) throw this.error(key, `unknown field (allowed: ${keys.join(', ')})`);
    }
  }

  name(field = 'name'): string {
    const value = this.at.raw[field];
    if (typeof value !== 'string' || !NAME.test(value) || value.length > MAX_NAME_LENGTH) {
      throw this.error(
        field,
        `expected a name matching [a-z][a-z0-9_]* of at most ${MAX_NAME_LENGTH} characters`,
      );
    }
    return value;
  }

  oneOf<T extends string>(field: string, allowed: readonly T[], fallback?: T): T {
    const value = this.at.raw[field];
    if (value === undefined && fallback !== undefined) return fallback;
    if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
      throw this.error(field, `expected one of ${allowed.join(', ')}`);
    }
    return value as T;
  }

  text(field: string): string {
    const value = this.at.raw[field];
    if (value === undefined || value === null) return '';
    if (typeof value !== 'string') throw this.error(field, 'expected text');
    return value;
  }

  boolean(field: string, fallback: boolean): boolean {
    const value = this.at.raw[field];
    if (value === undefined) return fallback;
    if (typeof value !== 'boolean') throw this.error(field, 'expected true or false');
    return value;
  }

  list(field: string, required: boolean): unknown[] {
    const value = this.at.raw[field];
    if (value === undefined || value === null) {
      if (required) throw this.error(field, 'required: expected a non-empty list');
      return [];
    }
    if (!Array.isArray(value)) throw this.error(field, 'expected a list');
    if (required && value.length === 0) throw this.error(field, 'expected a non-empty list');
    return value;
  }

  /** Each item of a list of mappings, located. */
  mappings(field: string, required: boolean): Fields[] {
    return this.list(field, required).map((item, i) => {
      const at: Located = { file: this.at.file, path: `${this.at.path}.${field}[${i}]`, raw: item as Raw };
      if (typeof item !== 'object' || item === null || Array.isArray(item)) {
        throw new RegistryError(at.file, at.path, 'expected a mapping');
      }
      return new Fields(at);
    });
  }

  levels(type: FeatureType): string[] {
    if (type !== 'categorical') {
      if (this.at.raw.levels !== undefined)
        throw this.error('levels', 'only categorical features declare levels');
      return [];
    }
    const levels = this.list('levels', true);
    levels.forEach((level, i) => {
      if (typeof level !== 'string' || level.length === 0 || level.length > MAX_LEVEL_LENGTH) {
        throw this.error(`levels[${i}]`, `expected non-empty text of at most ${MAX_LEVEL_LENGTH} characters`);
      }
      if (levels.indexOf(level) !== i) throw this.error(`levels[${i}]`, `duplicate level '${level}'`);
    });
    return levels as string[];
  }

  encoding(type: FeatureType): Encoding {
    if (type !== 'categorical') {
      if (this.at.raw.encoding !== undefined)
        throw this.error('encoding', 'only categorical features have an encoding');
      return 'ordinal';
    }
    return this.oneOf('encoding', ENCODINGS, 'ordinal');
  }

  /** A default of the given type (a declared level for categoricals). */
  typedDefault(type: FeatureType, levels: readonly string[], field = 'default'): Exclude<Scalar, null> {
    const value = this.at.raw[field];
    if (value === undefined || value === null)
      throw this.error(field, `required: expected a ${type} default`);
    const problem = typeProblem(type, levels, value);
    if (problem !== undefined) throw this.error(field, problem);
    return value as Exclude<Scalar, null>;
  }
}

/** Why `value` is not a valid value of `type`, or undefined when it is. */
function typeProblem(type: FeatureType, levels: readonly string[], value: unknown): string | undefined {
  switch (type) {
    case 'float':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : 'expected a finite number';
    case 'int':
      return typeof value === 'number' && Number.isSafeInteger(value) ? undefined : 'expected an integer';
    case 'bool':
      return typeof value === 'boolean' ? undefined : 'expected true or false';
    case 'categorical':
      return typeof value === 'string' && levels.includes(value)
        ? undefined
        : `expected one of the declared levels (${levels.join(', ')})`;
  }
}

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
const RESERVED_JOIN_KEYS = ['event_time_ms', 'written_at_ms'];

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
        throw f.error(field, 'expected <view>.<feature>, context.<field> or on_demand.<name>');
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
      } else {
        const view = views.get(prefix);
        if (view === undefined) throw f.error(field, `unknown feature view '${prefix}'`);
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
        const stored = features.find((x) => x.source === 'stored' && x.name === input);
        const type = contextField?.type ?? (stored?.source === 'stored' ? stored.feature.type : undefined);
        if (type === undefined) {
          throw f.error(
            `features[${i}]`,
            `on-demand feature '${feature.name}' reads '${input}', which is neither a context field nor a stored feature of this set`,
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
      fingerprint: fingerprintOf(name, setEntities, context, features, columns),
      file: f.at.file,
    };
    featureSets.set(name, set);
  }

  return { entities, views, onDemand, featureSets };
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
          : [x.source, x.name, x.onDemand.expression, x.onDemand.default],
    ),
    columns,
  };
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}
