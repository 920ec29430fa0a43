/** The registry after validation: every reference resolved, every default typed. */

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
  /** sha256 (hex) of the set's canonical definition. */
  readonly fingerprint: string;
}

export interface Registry {
  readonly entities: ReadonlyMap<string, Entity>;
  readonly views: ReadonlyMap<string, FeatureView>;
  readonly onDemand: ReadonlyMap<string, OnDemandFeature>;
  readonly featureSets: ReadonlyMap<string, FeatureSet>;
}
