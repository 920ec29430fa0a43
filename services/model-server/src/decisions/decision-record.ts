import type { common, feature, model } from '@tally/contracts';

type ValueMap = Record<string, common.Value__Output>;

/** Which answer a record holds: the one the caller received, or a challenger's scored beside it. */
export type DecisionRole = 'served' | 'shadow';

/**
 * One decision as the log keeps it (one JSON payload per write-ahead frame, and the `record` column
 * of `tally_decision`). `response` is the ScoreResponse exactly as answered (minus the vector, kept
 * below in full), so fields added to ScoreResponse later (reasons, policy outcome) are recorded
 * without changing this type. Documented in docs/decision-log.md.
 */
export interface DecisionRecord {
  /** Record format version. */
  readonly v: 1;
  readonly requestId: string;
  readonly role: DecisionRole;
  /** When the answer was made, ms since the Unix epoch. */
  readonly decidedAtMs: number;
  /** Who asked, when known: the caller's identity (client certificate or token); empty without one. */
  readonly caller: string;
  readonly model: string;
  readonly version: string;
  readonly featureSet: string;
  readonly featureSetFingerprint: string;
  readonly entityKeys: ValueMap;
  readonly context: ValueMap;
  /** The whole vector the model saw: column names, values, statuses and event times (0 = not stored). */
  readonly columns: readonly string[];
  readonly values: readonly number[];
  readonly statuses: readonly string[];
  readonly eventTimesMs: readonly number[];
  readonly score: number;
  /** W3C trace id of the Score call (empty when tracing is off). */
  readonly traceId: string;
  readonly response: Omit<model.ScoreResponse, 'columns' | 'featureValues' | 'featureStatuses'>;
}

export interface DecisionInput {
  readonly role: DecisionRole;
  readonly caller: string;
  readonly traceId: string;
  readonly entityKeys: ValueMap;
  readonly context: ValueMap;
  readonly columns: readonly string[];
  readonly vector: feature.FeatureVector__Output;
  /** The float32 values the model saw (after the model-server's checks). */
  readonly values: ArrayLike<number>;
  readonly response: model.ScoreResponse;
}

/** The record of one answered decision. */
export function decisionRecord(input: DecisionInput, decidedAtMs = Date.now()): DecisionRecord {
  const { columns: _c, featureValues: _v, featureStatuses: _s, ...response } = input.response;
  return {
    v: 1,
    requestId: input.response.requestId ?? '',
    role: input.role,
    decidedAtMs,
    caller: input.caller,
    model: input.response.model ?? '',
    version: input.response.version ?? '',
    featureSet: input.response.featureSet ?? '',
    featureSetFingerprint: input.response.featureSetFingerprint ?? '',
    entityKeys: input.entityKeys,
    context: input.context,
    columns: input.columns,
    values: Array.from(input.values),
    statuses: input.vector.statuses,
    eventTimesMs: input.vector.eventTimesUnixMs.map(Number),
    score: Number(input.response.score ?? 0),
    traceId: input.traceId,
    response,
  };
}

function valueText(value: common.Value__Output): string {
  switch (value.kind) {
    case 'int64Value':
      return String(value.int64Value);
    case 'doubleValue':
      return String(value.doubleValue);
    case 'boolValue':
      return String(value.boolValue);
    case 'stringValue':
      return value.stringValue ?? '';
    default:
      return '';
  }
}

/**
 * The entity keys as one text, the column decisions are listed by: `name=value` pairs sorted by
 * name and joined by `&`, e.g. `applicant_id=17`.
 */
export function entityKeyText(keys: ValueMap): string {
  return Object.keys(keys)
    .sort()
    .map((name) => `${name}=${valueText(keys[name]!)}`)
    .join('&');
}
