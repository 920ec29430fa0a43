/** The registry after validation: every reference resolved, every default typed. */
import type { AggregationFunction } from '@tally/windows';

/** Type of a feature or context value before encoding. */
export type FeatureType = 'float' | 'int' | 'bool' | 'categorical';
/** Type of an entity join key. */
export type KeyType = 'int' | 'string';
export type Encoding = 'ordinal' | 'one_hot';
export type StalePolicy = 'default' | 'keep';

/** A typed scalar as the service handles it internally (null = absent). */
export type Scalar = number | boolean | string | null;

export interface Entity {
  readonly name: string;
  readonly joinKey: string;
  readonly keyType: KeyType;
  readonly description: string;
}

/** A typed value with its categorical levels, shared by stored features and context fields. */
export interface TypedField {
  readonly name: string;
  readonly type: FeatureType;
  /** Declared levels in encoding order (categorical only, else empty). */
  readonly levels: readonly string[];
  readonly encoding: Encoding;
  readonly description: string;
}

export interface ViewFeature extends TypedField {
  readonly default: Exclude<Scalar, null>;
}

export interface FeatureView {
  readonly name: string;
  readonly entity: Entity;
  /** 0 = never stale. */
  readonly maxAgeMs: number;
  readonly stalePolicy: StalePolicy;
  readonly features: readonly ViewFeature[];
  readonly description: string;
  /** Definition file, for messages. */
  readonly file: string;
}

export interface OnDemandFeature {
  readonly name: string;
  readonly type: 'float';
  readonly default: number;
  readonly expression: string;
  readonly description: string;
  readonly file: string;
}

export interface ContextFieldDef extends TypedField {
  readonly required: boolean;
  /** Undefined only for required fields. */
  readonly default: Exclude<Scalar, null> | undefined;
}

/** Type of an event field: a feature type, or free text (stored, never aggregated, e.g. a merchant id). */
export type EventFieldType = FeatureType | 'string';

export interface EventField {
  readonly name: string;
  readonly type: EventFieldType;
  /** Declared levels (categorical only, else empty). */
  readonly levels: readonly string[];
  readonly description: string;
}

/** Keeps only events whose categorical `field` equals `level`. */
export interface EventFilter {
  readonly field: EventField;
  readonly level: string;
}

/**
 * A stream of partial aggregates kept per entity and tile: one per (aggregated field or none, filter
 * or none) used by the source's aggregations. `id` is what the store keys it by, e.g. `*`,
 * `amount`, `*|decision=declined`.
 */
export interface Series {
  readonly id: string;
  /** The numeric field aggregated; undefined = count every (matching) event. */
  readonly field: EventField | undefined;
  readonly filter: EventFilter | undefined;
}

/** One (aggregation, window) of an event source: a feature such as `purchase_count_1h`. */
export interface AggregationFeature {
  readonly name: string;
  /** The aggregation's declared name, before the window suffix (e.g. `purchase_count`). */
  readonly baseName: string;
  readonly function: AggregationFunction;
  readonly series: Series;
  readonly windowMs: number;
  /** Tile size of the window (see @tally/windows tileSizeFor). */
  readonly tileMs: number;
  /** count → int; sum, mean, time_since_last → float; min, max, last → the field's type. */
  readonly type: 'int' | 'float';
  /** Served when the window holds no event (min/max/mean/last/time_since_last) or the store fails. */
  readonly default: number;
  readonly description: string;
}

export interface EventSource {
  readonly name: string;
  readonly entity: Entity;
  readonly fields: readonly EventField[];
  readonly aggregations: readonly AggregationFeature[];
  /** Distinct series of the aggregations, each with the tile sizes its windows use. */
  readonly tiling: readonly { readonly series: Series; readonly tileMs: number }[];
  readonly longestWindowMs: number;
  /** Declared raw-event retention (ms, by event time); 0 = only what the windows and lateness need. */
  readonly retentionMs: number;
  readonly description: string;
  readonly file: string;
}

/** One entry of a feature set, in vector order. */
export type SetFeature =
  | {
      readonly source: 'stored';
      readonly name: string;
      readonly view: FeatureView;
      readonly feature: ViewFeature;
    }
  | { readonly source: 'request'; readonly name: string; readonly field: ContextFieldDef }
  | {
      readonly source: 'on_demand';
      readonly name: string;
      readonly onDemand: OnDemandFeature;
      /** Evaluates the expression given the values of its identifiers. */
      readonly evaluate: (lookup: (identifier: string) => number) => number;
      /** Identifiers the expression reads (context fields or stored features of the set). */
      readonly inputs: readonly string[];
    }
  | {
      readonly source: 'aggregation';
      readonly name: string;
      readonly eventSource: EventSource;
      readonly aggregation: AggregationFeature;
    };

export interface FeatureSet {
  readonly name: string;
  readonly description: string;
  readonly entities: readonly Entity[];
  readonly context: readonly ContextFieldDef[];
  readonly features: readonly SetFeature[];
  /** Vector columns, in order (one-hot features expand to `feature=level`). */
  readonly columns: readonly string[];
  /** Views read by this set, each once. */
  readonly views: readonly FeatureView[];
  /** Event sources whose aggregations this set reads, each once. */
  readonly eventSources: readonly EventSource[];
  /** sha256 (hex) of the set's canonical definition. */
  readonly fingerprint: string;
}

export interface Registry {
  readonly entities: ReadonlyMap<string, Entity>;
  readonly views: ReadonlyMap<string, FeatureView>;
  readonly onDemand: ReadonlyMap<string, OnDemandFeature>;
  readonly eventSources: ReadonlyMap<string, EventSource>;
  readonly featureSets: ReadonlyMap<string, FeatureSet>;
}
