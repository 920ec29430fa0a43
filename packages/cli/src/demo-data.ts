import { createTallyClient } from '@tally/client';
import { formatOf, readRecords } from './record-reader';

/**
 * The demo data set and how it is loaded: data/lending_club.csv has no id column (an applicant's id
 * is its 1-based row number), and its request-context columns and label are not stored features.
 */
export const DEMO_DATA = {
  featureSet: 'credit_risk',
  view: 'applicant_profile',
  key: 'applicant_id',
  /** Columns of the file that are not features of the view: the checkout's context, and the label. */
  ignoreColumns: ['funded_amnt', 'term', 'int_rate', 'sub_grade', 'addr_state', 'Class'],
  /** A valid checkout context for probing the store (any valid values do). */
  probeContext: { amount: 1000, term: 36, int_rate: 10, sub_grade: 'A1' },
} as const;

/** `tally ingest` arguments that load the demo file into the feature-service at `address`. */
export function demoIngestArgs(file: string, address: string): string[] {
  return [
    'ingest',
    '--view',
    DEMO_DATA.view,
    '--file',
    file,
    '--key',
    DEMO_DATA.key,
    '--key-from-row-number',
    '--event-time',
    'now',
    '--ignore-columns',
    DEMO_DATA.ignoreColumns.join(','),
    '--address',
    address,
  ];
}

/** The data rows of a CSV/JSONL file, in order (row n = applicant n). */
export async function readDemoRows(file: string): Promise<Array<Record<string, unknown>>> {
  const rows: Array<Record<string, unknown>> = [];
  for await (const record of readRecords(file, formatOf(file, undefined), () => {})) rows.push(record.fields);
  return rows;
}

/**
 * Whether the store behind the feature-service holds the demo applicants: the first and the last
 * applicant both have stored values (a stored value carries its event time; a default carries 0).
 */
export async function demoDataLoaded(address: string, rowCount: number): Promise<boolean> {
  const client = createTallyClient({ featureService: address });
  try {
    const res = await client.features.getFeatureVectors(
      {
        featureSet: DEMO_DATA.featureSet,
        entities: [1, rowCount].map((id) => ({ keys: { [DEMO_DATA.key]: { int64Value: id } } })),
        context: {
          amount: { doubleValue: DEMO_DATA.probeContext.amount },
          term: { int64Value: DEMO_DATA.probeContext.term },
          int_rate: { doubleValue: DEMO_DATA.probeContext.int_rate },
          sub_grade: { stringValue: DEMO_DATA.probeContext.sub_grade },
        },
      },
      { deadlineMs: 5000 },
    );
    return res.vectors.every((v) => v.eventTimesUnixMs.some((t) => Number(t) > 0));
  } finally {
    client.close();
  }
}

/** `tally events ingest` arguments that load the synthetic purchase history file. */
export function demoEventsIngestArgs(file: string, address: string): string[] {
  return ['events', 'ingest', file, '--source', 'purchase_attempts', '--address', address];
}

/**
 * Whether the store holds a synthetic purchase history that the windows still see: some of the first
 * 50 demo applicants have attempts in the last 30 days (the generator gives each about 3).
 */
export async function demoEventsLoaded(address: string): Promise<boolean> {
  const client = createTallyClient({ featureService: address });
  try {
    const res = await client.features.getFeatureVectors(
      {
        featureSet: 'credit_risk_rt',
        entities: Array.from({ length: 50 }, (_, i) => ({
          keys: { [DEMO_DATA.key]: { int64Value: i + 1 } },
        })),
        context: {
          amount: { doubleValue: DEMO_DATA.probeContext.amount },
          term: { int64Value: DEMO_DATA.probeContext.term },
        },
      },
      { deadlineMs: 5000 },
    );
    const column = res.columns.indexOf('purchase_count_30d');
    return res.vectors.some((v) => (v.values[column] ?? 0) > 0);
  } finally {
    client.close();
  }
}
