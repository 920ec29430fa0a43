import type { common } from '@tally/contracts';
import { InvalidArgumentError } from '@tally/grpc-kit';
import type { FeatureSet, Scalar } from '../registry';
import type { EntityKey } from '../store';
import { isNullValue, readKey, readTyped } from './typed-values';

/** One validated entity of a GetFeatureVectors call. */
export interface ParsedEntity {
  /** Join key → key value, exactly the set's join keys. */
  readonly keys: ReadonlyMap<string, EntityKey>;
  /** Context field → value, request context overridden by the entity's own; absent fields are absent. */
  readonly context: ReadonlyMap<string, Scalar>;
}

type ValueMap = Record<string, common.Value__Output> | undefined;

function readContext(set: FeatureSet, raw: ValueMap, prefix: string): Map<string, Scalar> {
  const out = new Map<string, Scalar>();
  for (const [name, value] of Object.entries(raw ?? {})) {
    const field = set.context.find((c) => c.name === name);
    if (field === undefined) {
      const declared = set.context.map((c) => c.name).join(', ') || 'none';
      throw new InvalidArgumentError(
        `${prefix}.${name}`,
        `not a context field of feature set '${set.name}' (declared: ${declared})`,
      );
    }
    const scalar = readTyped(value, field, `${prefix}.${name}`);
    if (scalar !== null) out.set(name, scalar);
  }
  return out;
}

/**
 * Validates the entities and context of a GetFeatureVectors request against the feature set: each
 * entity carries exactly the set's join keys with their types, context fields are declared and
 * typed, required fields are present (per entity or for the whole request).
 */
export function parseVectorRequest(
  set: FeatureSet,
  entities: ReadonlyArray<{ keys?: ValueMap; context?: ValueMap }>,
  context: ValueMap,
  maxEntities: number,
): ParsedEntity[] {
  if (entities.length === 0) throw new InvalidArgumentError('entities', 'at least one entity is required');
  if (entities.length > maxEntities) {
    throw new InvalidArgumentError(
      'entities',
      `${entities.length} entities exceed the limit of ${maxEntities} per request (MAX_ENTITIES_PER_REQUEST)`,
    );
  }
  const shared = readContext(set, context, 'context');
  return entities.map((entity, i) => {
    const keys = new Map<string, EntityKey>();
    for (const e of set.entities) {
      keys.set(e.joinKey, readKey(entity.keys?.[e.joinKey], e.keyType, `entities[${i}].keys.${e.joinKey}`));
    }
    for (const name of Object.keys(entity.keys ?? {})) {
      if (!keys.has(name)) {
        const expected = set.entities.map((e) => e.joinKey).join(', ');
        throw new InvalidArgumentError(
          `entities[${i}].keys.${name}`,
          `not a join key of feature set '${set.name}' (expected: ${expected})`,
        );
      }
    }
    const own = readContext(set, entity.context, `entities[${i}].context`);
    const merged = own.size === 0 ? shared : new Map([...shared, ...own]);
    for (const field of set.context) {
      if (field.required && !merged.has(field.name)) {
        const where = entities.length > 1 ? ` (missing for entities[${i}])` : '';
        const explicitNull = isNullValue(context?.[field.name]) && context?.[field.name] !== undefined;
        throw new InvalidArgumentError(
          `context.${field.name}`,
          `required by feature set '${set.name}'${explicitNull ? ' (null given)' : ''}${where}`,
        );
      }
    }
    return { keys, context: merged };
  });
}
