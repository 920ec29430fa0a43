import type { common } from '@tally/contracts';

/**
 * A typed value as decoded from the wire: `tally.common.v1.Value` in proto-loader's output shape
 * (`common.Value__Output`: `kind` names the member set, int64 as a JS number), exactly what the
 * WriteEvents handler receives. A stream consumer decoding JSON builds the same shape, e.g.
 * `{ kind: 'doubleValue', doubleValue: 12.5 }` or `{ kind: 'stringValue', stringValue: 'declined' }`.
 */
export type Value = common.Value__Output;

/** One event as every ingestion path (RPC, stream) hands it to the EventWriter. */
export interface EventInput {
  /** Idempotency key within the source (required, at most 255 characters). */
  readonly eventId: string;
  /** Event time, ms since the Unix epoch (required, > 0). */
  readonly eventTimeMs: number;
  /** The source entity's join key, e.g. { applicant_id: { kind: 'int64Value', int64Value: 17 } }. */
  readonly keys: Readonly<Record<string, Value>>;
  /** The source's fields by name; absent or null fields are stored as null. */
  readonly fields: Readonly<Record<string, Value>>;
}

/** What one write did: events stored for the first time, and events ignored as already stored. */
export interface WriteResult {
  readonly written: number;
  readonly duplicates: number;
}
