import type { TlsOptions } from '@tally/client';
import type { common } from '@tally/contracts';

/** Typed values as they go on the wire (tally.common.v1.Value). */
export type WireValues = Record<string, common.Value>;

/**
 * Which entity keys a call asks for: integer keys `first … first + count - 1`, taken in turn, so a
 * small `count` keeps every key in the cache and a large one (with the cache off) reads the store.
 */
export interface KeyPlan {
  first: number;
  count: number;
}

export interface FeatureVectorsTarget {
  kind: 'feature-vectors';
  address: string;
  /** TLS (and mTLS) of the channel, as @tally/client takes it; absent = plaintext. */
  tls?: TlsOptions;
  featureSet: string;
  keyName: string;
  keys: KeyPlan;
  entitiesPerCall: number;
  context: WireValues;
}

export interface ModelInferTarget {
  kind: 'model-infer';
  address: string;
  /** TLS (and mTLS) of the channel, as @tally/client takes it; absent = plaintext. */
  tls?: TlsOptions;
  modelName: string;
  inputName: string;
  width: number;
  rowsPerCall: number;
}

export interface ScoreTarget {
  kind: 'score';
  address: string;
  /** TLS (and mTLS) of the channel, as @tally/client takes it; absent = plaintext. */
  tls?: TlsOptions;
  model: string;
  /** Model version; empty or absent = the newest ready version. */
  version?: string;
  /** Ask for reasons (include_reasons). */
  includeReasons?: boolean;
  keyName: string;
  keys: KeyPlan;
  context: WireValues;
}

/** The store's own query for the same keys, straight through a mysql2 pool: one query per table. */
export interface MysqlTarget {
  kind: 'mysql';
  url: string;
  tables: Array<{ table: string; keyColumn: string }>;
  keys: KeyPlan;
  entitiesPerCall: number;
  poolSize: number;
}

export type CallTarget = FeatureVectorsTarget | ModelInferTarget | ScoreTarget | MysqlTarget;

export type LoadMode =
  { kind: 'closed'; concurrency: number } | { kind: 'open'; ratePerSec: number; maxOutstanding: number };

/** One load run: what to call, how, and for how long (warm-up excluded from every figure). */
export interface LoadSpec {
  target: CallTarget;
  mode: LoadMode;
  warmupMs: number;
  durationMs: number;
  /** Deadline of each call. */
  callTimeoutMs: number;
}

/** What one generator process reports after a run. */
export interface GeneratorResult {
  /** Latency of every call started (closed) or scheduled (open) inside the measured window. */
  latenciesMs: number[];
  /** Calls of the measured window that failed, by gRPC status name (or a client-side reason). */
  errors: Record<string, number>;
  /** Length of the measured window. */
  windowMs: number;
  /** CPU the generator process used over warm-up + window (process.cpuUsage), in ms. */
  cpuUserMs: number;
  cpuSystemMs: number;
  /** Wall time of warm-up + window + drain. */
  wallMs: number;
}

/** Messages between the runner and a generator process. */
export type GeneratorRequest = { type: 'run'; spec: LoadSpec; generatorIndex: number; generators: number };
export type GeneratorReply = { type: 'done'; result: GeneratorResult } | { type: 'failed'; error: string };

/** The keys of call `callIndex` (entitiesPerCall consecutive keys of the plan, wrapping around). */
export function keysForCall(plan: KeyPlan, entitiesPerCall: number, callIndex: number): number[] {
  const keys: number[] = [];
  const start = (callIndex * entitiesPerCall) % plan.count;
  for (let i = 0; i < entitiesPerCall; i += 1) keys.push(plan.first + ((start + i) % plan.count));
  return keys;
}
