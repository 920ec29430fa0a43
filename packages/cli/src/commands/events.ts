import fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { status } from '@grpc/grpc-js';
import { FeatureClient, TallyClientError, toValue, toValueMap } from '@tally/client';
import type { feature } from '@tally/contracts';
import { describeCallFailure } from '../call-failure';
import { CommandFailure } from '../command-failure';
import { parseAssignments, parseCommandValue, parseNumberFlag } from '../command-values';
import { newRejections, progressBar, reject, rejectionLines } from '../load-report';
import type { Rejections } from '../load-report';
import { formatOf, readRecords } from '../record-reader';
import { UsageError } from '../usage-error';
import { CONNECTION_FLAGS, CONNECTION_USAGE, connectionOptions } from '../connection-flags';
import { DEFAULT_FEATURE_SERVICE } from './features';

export const EVENTS_USAGE = `tally events ingest FILE --source SOURCE [--key COLUMN …] [--format csv|jsonl]
                    [--batch N] [--address HOST:PORT] [--json] [connection flags]
tally events send --source SOURCE --key NAME=VALUE … [--field NAME=VALUE …]
                  [--event-id ID] [--event-time ISO|MS|now] [--address HOST:PORT] [connection flags]

ingest: loads a file of events (CSV with a header row, or JSONL) into an event source through the
feature-service's WriteEvents RPC, one all-or-nothing call per batch. Each record has an 'event_id',
an 'event_time' (ms since the epoch, or ISO-8601), the entity's join key column(s), and the source's
fields. Events are idempotent by id: loading a file twice counts each event once (the second run
reports them as duplicates). Records the service rejects are reported with their line number and
reason; the other events of their batch are still written.
send: writes one event (id: a random UUID unless given; time: now unless given).

  --source      event source (as declared in the registry)
  --key         ingest: join key column(s) of the file (default: the join keys of the feature sets
                that use the source); send: NAME=VALUE of the event's entity, e.g. applicant_id=17
  --field       send: NAME=VALUE of one field of the event (repeatable), e.g. amount=120.5
  --batch       events per WriteEvents call (default 1000)
  --address     feature-service address (default ${DEFAULT_FEATURE_SERVICE})
  --json        print the summary as JSON

${CONNECTION_USAGE}

Exit status: 0 all events written or duplicates, 3 some events rejected, 1 failure, 2 usage error.`;

export interface EventsIngestSummary {
  source: string;
  file: string;
  eventsRead: number;
  eventsWritten: number;
  eventsDuplicate: number;
  eventsRejected: number;
  rejected: Array<{ line: number; reason: string }>;
}

const COMMON_OPTIONS = {
  ...CONNECTION_FLAGS,
  source: { type: 'string' },
  key: { type: 'string', multiple: true, default: [] as string[] },
  address: { type: 'string', default: DEFAULT_FEATURE_SERVICE },
  json: { type: 'boolean', default: false },
} as const;

/** The join keys of the entity of `source`, from the feature sets that aggregate it. */
async function sourceKeys(calls: FeatureClient, source: string): Promise<string[]> {
  const { featureSets } = await calls.listFeatureSets();
  for (const summary of featureSets) {
    const { featureSet } = await calls.describeFeatureSet(summary.name);
    const uses = (featureSet?.features ?? []).some((f) => f.eventSource === source);
    if (uses && featureSet!.entityKeys.length === 1) return [featureSet!.entityKeys[0]!.name];
  }
  throw new UsageError(`no feature set tells the join key of source '${source}': give --key COLUMN`);
}

function eventTimeOf(raw: unknown): number | string {
  if (typeof raw === 'number') return raw;
  const text = String(raw ?? '').trim();
  if (text === '') return "column 'event_time' is empty or absent";
  if (/^\d+$/.test(text)) return Number(text);
  const parsed = Date.parse(text);
  return Number.isFinite(parsed) ? parsed : `event time '${text}' is not ms or ISO-8601`;
}

function plain(raw: unknown): unknown {
  return typeof raw === 'string' ? (raw === '' ? null : parseCommandValue(raw)) : raw;
}

interface PendingEvent {
  line: number;
  event: feature.Event;
}

function eventIndexOf(err: unknown): number | undefined {
  const e = TallyClientError.from(err, '');
  if (e.code !== status.INVALID_ARGUMENT) return undefined;
  const match = /^events\[(\d+)\]/.exec(e.details ?? '');
  return match ? Number(match[1]) : undefined;
}

/** Sends one batch; an event the service rejects is set aside with its reason and the rest is re-sent. */
async function sendBatch(
  calls: FeatureClient,
  source: string,
  batch: PendingEvent[],
  summary: EventsIngestSummary,
  rejections: Rejections,
): Promise<void> {
  let events = batch;
  while (events.length > 0) {
    try {
      const res = await calls.writeEvents({ source, events: events.map((e) => e.event) });
      summary.eventsWritten += res.eventsWritten;
      summary.eventsDuplicate += res.eventsDuplicate;
      return;
    } catch (err) {
      const index = eventIndexOf(err);
      if (index === undefined || index >= events.length) throw err;
      const reason = TallyClientError.from(err, '').details.replace(/^events\[\d+\]\./, '');
      reject(rejections, events[index]!.line, reason);
      events = events.filter((_, i) => i !== index);
    }
  }
}

async function runEventsIngest(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { ...COMMON_OPTIONS, format: { type: 'string' }, batch: { type: 'string', default: '1000' } },
    strict: true,
  });
  if (positionals.length !== 1) throw new UsageError('give exactly one FILE');
  const file = positionals[0]!;
  if (!values.source) throw new UsageError('--source is required');
  if (!fs.existsSync(file)) throw new UsageError(`${file} does not exist`);
  const batchSize = parseNumberFlag('batch', values.batch!, { integer: true });
  if (batchSize < 1 || batchSize > 10000)
    throw new UsageError('--batch: expected an integer from 1 to 10000');
  let format: 'csv' | 'jsonl';
  try {
    format = formatOf(file, values.format);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const source = values.source;
  const address = values.address!;
  const calls = new FeatureClient(address, {
    ...connectionOptions(values),
    deadlinesMs: { WriteEvents: 30_000 },
  });
  const summary: EventsIngestSummary = {
    source,
    file,
    eventsRead: 0,
    eventsWritten: 0,
    eventsDuplicate: 0,
    eventsRejected: 0,
    rejected: [],
  };
  const rejections = newRejections();
  let bar: ReturnType<typeof progressBar>;
  try {
    const keys = values.key!.length > 0 ? values.key! : await sourceKeys(calls, source);
    bar = progressBar('events', fs.statSync(file).size, 'events');
    let batch: PendingEvent[] = [];
    for await (const record of readRecords(file, format, (bytes) => bar?.update(bytes, summary.eventsRead))) {
      summary.eventsRead += 1;
      if (record.error !== undefined) {
        reject(rejections, record.line, record.error);
        continue;
      }
      const { event_id: eventId, event_time: rawTime, ...rest } = record.fields;
      const eventTime = eventTimeOf(rawTime);
      if (typeof eventTime === 'string') {
        reject(rejections, record.line, eventTime);
        continue;
      }
      const missingKey = keys.find((k) => rest[k] === undefined || rest[k] === '');
      if (missingKey !== undefined) {
        reject(rejections, record.line, `key column '${missingKey}' is empty or absent`);
        continue;
      }
      const eventKeys: feature.Event['keys'] = {};
      const fields: feature.Event['fields'] = {};
      try {
        for (const [column, raw] of Object.entries(rest)) {
          const value = toValue(plain(raw) as never, column);
          if (keys.includes(column)) eventKeys[column] = value;
          else fields[column] = value;
        }
      } catch (err) {
        reject(rejections, record.line, (err as Error).message);
        continue;
      }
      batch.push({
        line: record.line,
        event: { eventId: String(eventId ?? ''), eventTimeUnixMs: eventTime, keys: eventKeys, fields },
      });
      if (batch.length >= batchSize) {
        await sendBatch(calls, source, batch, summary, rejections);
        batch = [];
      }
    }
    if (batch.length > 0) await sendBatch(calls, source, batch, summary, rejections);
    bar?.finish(summary.eventsRead);
  } catch (err) {
    if (err instanceof UsageError || !(err instanceof TallyClientError)) throw err;
    throw new CommandFailure(describeCallFailure(err, { service: 'feature-service', address }));
  } finally {
    bar?.stop();
    calls.close();
  }
  summary.eventsRejected = rejections.count;
  summary.rejected = rejections.list;
  if (values.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
  else {
    const lines = [
      `${file} → ${source}: ${summary.eventsRead} events read, ${summary.eventsWritten} written, ` +
        `${summary.eventsDuplicate} duplicates (already stored), ${summary.eventsRejected} rejected`,
      ...rejectionLines(rejections),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  return summary.eventsRejected > 0 ? 3 : 0;
}

async function runEventsSend(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      ...COMMON_OPTIONS,
      field: { type: 'string', multiple: true, default: [] },
      'event-id': { type: 'string' },
      'event-time': { type: 'string', default: 'now' },
    },
    strict: true,
  });
  if (!values.source) throw new UsageError('--source is required');
  const keys = parseAssignments('key', values.key!);
  if (Object.keys(keys).length === 0) throw new UsageError('give the entity with --key NAME=VALUE');
  const fields = parseAssignments('field', values.field!);
  const timeText = values['event-time']!;
  const eventTime = timeText === 'now' ? Date.now() : eventTimeOf(timeText);
  if (typeof eventTime === 'string') throw new UsageError(`--event-time: ${eventTime}`);
  const event: feature.Event = {
    eventId: values['event-id'] ?? randomUUID(),
    eventTimeUnixMs: eventTime,
    keys: toValueMap(keys),
    fields: toValueMap(fields),
  };
  const address = values.address!;
  const calls = new FeatureClient(address, connectionOptions(values));
  try {
    const res = await calls.writeEvents({ source: values.source, events: [event] });
    const result = { source: values.source, eventId: event.eventId, eventTimeUnixMs: eventTime, ...res };
    process.stdout.write(
      values.json
        ? `${JSON.stringify(result)}\n`
        : `${values.source}: event ${event.eventId} at ${new Date(eventTime).toISOString()} ` +
            `${res.eventsWritten === 1 ? 'written' : 'was already stored (duplicate)'}\n`,
    );
    return 0;
  } catch (err) {
    const failure = TallyClientError.from(err, '');
    if (failure.code === status.INVALID_ARGUMENT)
      throw new CommandFailure(`the feature-service refused the event: ${failure.details}`, 3);
    throw new CommandFailure(describeCallFailure(failure, { service: 'feature-service', address }));
  } finally {
    calls.close();
  }
}

/** Runs `tally events ingest|send`; returns the process exit status. */
export async function runEvents(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'ingest') return runEventsIngest(rest);
  if (sub === 'send') return runEventsSend(rest);
  throw new UsageError(sub === undefined ? 'give ingest or send' : `unknown subcommand '${sub}'`);
}
