import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { status } from '@grpc/grpc-js';
import { FeatureClient, TallyClientError } from '@tally/client';
import type { common, feature } from '@tally/contracts';
import { describeCallFailure } from '../call-failure';
import { CommandFailure } from '../command-failure';
import { newRejections, progressBar, reject, rejectionLines } from '../load-report';
import type { Rejections } from '../load-report';
import { formatOf, readRecords } from '../record-reader';
import type { InputRecord } from '../record-reader';
import { UsageError } from '../usage-error';
import { CONNECTION_FLAGS, CONNECTION_USAGE, connectionOptions } from '../connection-flags';

export const INGEST_USAGE = `tally ingest --view VIEW --file PATH --key COLUMN [--key-from-row-number]
             (--event-time-column COLUMN | --event-time ISO|now)
             [--format csv|jsonl] [--address HOST:PORT] [--batch N] [--ignore-columns A,B] [--json]
             [connection flags]

Materialises an offline table (CSV with a header row, or JSONL) into the online store through the
feature-service's WriteFeatureRows RPC, one transaction per batch. Newest event time wins, so running
it twice on the same file leaves the same state (with --event-time now, the second run rewrites the
same values with the newer time). Rows the service rejects are reported with their line
number and reason; the other rows of their batch are still written.

  --view               feature view to write (as declared in the registry)
  --file               input file (.csv, .jsonl/.ndjson, or give --format)
  --key                the entity's join key: the column holding it (or, with --key-from-row-number,
                       just the key's name)
  --key-from-row-number
                       the file has no key column: the key of each row is its 1-based number among
                       the data rows (header and blank lines not counted), e.g. data/lending_club.csv
  --event-time-column  column holding each row's event time (ms since the epoch, or ISO-8601)
  --event-time         one event time for every row: ISO-8601, or 'now' (the time the load starts)
  --address            feature-service address (default 127.0.0.1:50051)
  --batch              rows per WriteFeatureRows call (default 500)
  --ignore-columns     columns of the file that are not features (comma-separated)
  --json               print the summary as JSON

${CONNECTION_USAGE}

Exit status: 0 all rows written or ignored as older, 3 some rows rejected, 1 failure, 2 usage error.`;

export interface IngestSummary {
  view: string;
  file: string;
  rowsRead: number;
  rowsWritten: number;
  rowsIgnoredOlder: number;
  rowsRejected: number;
  /** The first rejected rows (at most 100), with their reasons. */
  rejected: Array<{ line: number; reason: string }>;
}

interface IngestOptions {
  view: string;
  file: string;
  key: string;
  keyFromRowNumber: boolean;
  eventTimeColumn?: string;
  eventTimeMs?: number;
  format: 'csv' | 'jsonl';
  address: string;
  batch: number;
  ignore: Set<string>;
  json: boolean;
  connection: ReturnType<typeof connectionOptions>;
}

function parseIngestArgs(args: string[]): IngestOptions {
  const { values } = parseArgs({
    args,
    options: {
      view: { type: 'string' },
      file: { type: 'string' },
      key: { type: 'string' },
      'key-from-row-number': { type: 'boolean', default: false },
      'event-time-column': { type: 'string' },
      'event-time': { type: 'string' },
      format: { type: 'string' },
      address: { type: 'string', default: '127.0.0.1:50051' },
      batch: { type: 'string', default: '500' },
      'ignore-columns': { type: 'string', default: '' },
      json: { type: 'boolean', default: false },
      ...CONNECTION_FLAGS,
    },
    strict: true,
  });
  for (const required of ['view', 'file', 'key'] as const) {
    if (!values[required]) throw new UsageError(`--${required} is required`);
  }
  if ((values['event-time-column'] === undefined) === (values['event-time'] === undefined)) {
    throw new UsageError('give exactly one of --event-time-column and --event-time');
  }
  let eventTimeMs: number | undefined;
  if (values['event-time'] !== undefined) {
    eventTimeMs = values['event-time'] === 'now' ? Date.now() : Date.parse(values['event-time']);
    if (!Number.isFinite(eventTimeMs) || eventTimeMs <= 0)
      throw new UsageError(`--event-time: expected an ISO-8601 time or 'now', got '${values['event-time']}'`);
  }
  const batch = Number(values.batch);
  if (!Number.isInteger(batch) || batch < 1 || batch > 10000)
    throw new UsageError('--batch: expected an integer from 1 to 10000');
  if (!fs.existsSync(values.file!)) throw new UsageError(`--file: ${values.file} does not exist`);
  let format: 'csv' | 'jsonl';
  try {
    format = formatOf(values.file!, values.format);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  return {
    view: values.view!,
    file: values.file!,
    key: values.key!,
    keyFromRowNumber: values['key-from-row-number']!,
    eventTimeColumn: values['event-time-column'],
    eventTimeMs,
    format,
    address: values.address!,
    batch,
    ignore: new Set(values['ignore-columns']!.split(',').filter(Boolean)),
    json: values.json!,
    connection: connectionOptions(values),
  };
}

/**
 * Types of the view's features (and of join keys) as far as the registry's feature sets reveal them;
 * columns not found here are typed by their text, and the service has the last word.
 */
async function viewTypes(
  calls: FeatureClient,
  view: string,
): Promise<Map<string, feature.ValueType__Output>> {
  const types = new Map<string, feature.ValueType__Output>();
  const { featureSets } = await calls.listFeatureSets();
  for (const summary of featureSets) {
    const { featureSet } = await calls.describeFeatureSet(summary.name);
    for (const spec of featureSet?.features ?? []) {
      if (spec.source === 'FEATURE_SOURCE_STORED' && spec.view === view) types.set(spec.name, spec.type);
    }
    for (const key of featureSet?.entityKeys ?? []) types.set(`key:${key.name}`, key.type);
  }
  return types;
}

/** A file cell as a typed Value: by the declared type when known, else inferred from the text. */
function toValue(raw: unknown, type: feature.ValueType__Output | undefined): common.Value {
  if (raw === null || raw === undefined || raw === '') return { nullValue: 'NULL_VALUE' };
  if (typeof raw === 'boolean') return { boolValue: raw };
  if (typeof raw === 'number')
    return Number.isInteger(raw) && type !== 'VALUE_TYPE_FLOAT' ? { int64Value: raw } : { doubleValue: raw };
  const text = String(raw).trim();
  switch (type) {
    case 'VALUE_TYPE_BOOL':
      if (/^(true|1)$/i.test(text)) return { boolValue: true };
      if (/^(false|0)$/i.test(text)) return { boolValue: false };
      return { stringValue: text }; // the service rejects it, naming the row
    case 'VALUE_TYPE_FLOAT':
      return text !== '' && Number.isFinite(Number(text))
        ? { doubleValue: Number(text) }
        : { stringValue: text };
    case 'VALUE_TYPE_INT':
      return /^-?\d+$/.test(text) ? { int64Value: Number(text) } : { stringValue: text };
    case 'VALUE_TYPE_CATEGORICAL':
    case 'VALUE_TYPE_STRING':
      return { stringValue: text };
    default:
      if (/^-?\d+$/.test(text)) return { int64Value: Number(text) };
      if (text !== '' && Number.isFinite(Number(text))) return { doubleValue: Number(text) };
      if (/^(true|false)$/i.test(text)) return { boolValue: text.toLowerCase() === 'true' };
      return { stringValue: text };
  }
}

function keyValue(raw: unknown, type: feature.ValueType__Output | undefined): common.Value | undefined {
  if (raw === null || raw === undefined || raw === '') return undefined;
  if (typeof raw === 'number') return { int64Value: raw };
  const text = String(raw);
  if (type === 'VALUE_TYPE_STRING') return { stringValue: text };
  return /^-?\d+$/.test(text) ? { int64Value: Number(text) } : { stringValue: text };
}

function eventTimeOf(options: IngestOptions, record: InputRecord): number | string {
  if (options.eventTimeMs !== undefined) return options.eventTimeMs;
  const raw = record.fields[options.eventTimeColumn!];
  if (typeof raw === 'number') return raw;
  const text = String(raw ?? '').trim();
  if (/^\d+$/.test(text)) return Number(text);
  const parsed = Date.parse(text);
  return Number.isFinite(parsed)
    ? parsed
    : `event time '${text}' in column ${options.eventTimeColumn} is not ms or ISO-8601`;
}

interface PendingRow {
  line: number;
  row: feature.FeatureRow;
}

function rowIndexOf(err: unknown): number | undefined {
  const e = TallyClientError.from(err, '');
  if (e.code !== status.INVALID_ARGUMENT) return undefined;
  const match = /^rows\[(\d+)\]/.exec(e.details ?? '');
  return match ? Number(match[1]) : undefined;
}

/** Sends one batch; a row the service rejects is set aside with its reason and the rest is re-sent. */
async function sendBatch(
  calls: FeatureClient,
  view: string,
  batch: PendingRow[],
  summary: IngestSummary,
  rejections: Rejections,
): Promise<void> {
  let rows = batch;
  while (rows.length > 0) {
    try {
      const res = await calls.writeFeatureRows({ featureView: view, rows: rows.map((r) => r.row) });
      summary.rowsWritten += res.rowsWritten;
      summary.rowsIgnoredOlder += res.rowsIgnoredOlder;
      return;
    } catch (err) {
      const index = rowIndexOf(err);
      if (index === undefined || index >= rows.length) throw err;
      const reason = TallyClientError.from(err, '').details.replace(/^rows\[\d+\]\./, '');
      reject(rejections, rows[index]!.line, reason);
      rows = rows.filter((_, i) => i !== index);
    }
  }
}

/** Runs `tally ingest`; returns the process exit status. */
export async function runIngest(args: string[]): Promise<number> {
  const options = parseIngestArgs(args);
  const calls = new FeatureClient(options.address, {
    ...options.connection,
    deadlinesMs: { WriteFeatureRows: 30_000 },
  });
  const summary: IngestSummary = {
    view: options.view,
    file: options.file,
    rowsRead: 0,
    rowsWritten: 0,
    rowsIgnoredOlder: 0,
    rowsRejected: 0,
    rejected: [],
  };
  const rejections = newRejections();
  let bar: ReturnType<typeof progressBar>;
  try {
    const types = await viewTypes(calls, options.view);
    if (options.keyFromRowNumber && types.get(`key:${options.key}`) === 'VALUE_TYPE_STRING') {
      throw new UsageError(
        `--key-from-row-number: join key '${options.key}' is a string; row numbers are ints`,
      );
    }
    bar = progressBar('ingest', fs.statSync(options.file).size, 'rows');
    let batch: PendingRow[] = [];
    for await (const record of readRecords(options.file, options.format, (bytes) =>
      bar?.update(bytes, summary.rowsRead),
    )) {
      summary.rowsRead += 1;
      if (record.error !== undefined) {
        reject(rejections, record.line, record.error);
        continue;
      }
      const key = options.keyFromRowNumber
        ? { int64Value: summary.rowsRead }
        : keyValue(record.fields[options.key], types.get(`key:${options.key}`));
      if (key === undefined) {
        reject(rejections, record.line, `key column '${options.key}' is empty or absent`);
        continue;
      }
      const eventTime = eventTimeOf(options, record);
      if (typeof eventTime === 'string') {
        reject(rejections, record.line, eventTime);
        continue;
      }
      const values: Record<string, common.Value> = {};
      for (const [column, raw] of Object.entries(record.fields)) {
        if (column === options.key || column === options.eventTimeColumn || options.ignore.has(column))
          continue;
        values[column] = toValue(raw, types.get(column));
      }
      batch.push({
        line: record.line,
        row: { keys: { [options.key]: key }, values, eventTimeUnixMs: eventTime },
      });
      if (batch.length >= options.batch) {
        await sendBatch(calls, options.view, batch, summary, rejections);
        batch = [];
      }
    }
    if (batch.length > 0) await sendBatch(calls, options.view, batch, summary, rejections);
    bar?.finish(summary.rowsRead);
  } catch (err) {
    if (err instanceof UsageError || !(err instanceof TallyClientError)) throw err;
    throw new CommandFailure(
      describeCallFailure(err, { service: 'feature-service', address: options.address }),
    );
  } finally {
    bar?.stop();
    calls.close();
  }
  summary.rowsRejected = rejections.count;
  summary.rejected = rejections.list;
  printSummary(summary, options.json);
  return summary.rowsRejected > 0 ? 3 : 0;
}

function printSummary(summary: IngestSummary, json: boolean): void {
  if (json) {
    process.stdout.write(`${JSON.stringify(summary)}\n`);
    return;
  }
  const lines = [
    `${summary.file} → ${summary.view}: ${summary.rowsRead} rows read, ${summary.rowsWritten} written, ` +
      `${summary.rowsIgnoredOlder} ignored (stored row as new or newer), ${summary.rowsRejected} rejected`,
    ...rejectionLines({ count: summary.rowsRejected, list: summary.rejected }),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
