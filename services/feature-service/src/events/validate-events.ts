import { InvalidArgumentError } from '@tally/grpc-kit';
import { eventTimeBounds } from '@tally/windows';
import type { EventField, EventSource, Scalar } from '../registry';
import type { EntityKey, EventToStore } from '../store';
import { MAX_EVENT_ID_LENGTH } from '../store';
import { MAX_TEXT_LENGTH, readKey, readTyped } from '../vectors';
import type { EventInput, Value } from './event-input';

/** Limits an event must respect, from the service's configuration. */
export interface EventLimits {
  readonly maxEventsPerWrite: number;
  /** How much older than the source's longest window an event may still be (ms). */
  readonly allowedLatenessMs: number;
  /** How far ahead of the service's clock an event time may be (ms). */
  readonly maxFutureMs: number;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function readField(value: Value | undefined, field: EventField, path: string): Scalar {
  if (field.type !== 'string')
    return readTyped(value, { ...field, type: field.type, encoding: 'ordinal' }, path);
  if (value === undefined || value.kind === undefined || value.kind === 'nullValue') return null;
  if (value.kind !== 'stringValue')
    throw new InvalidArgumentError(path, `expected a string for '${field.name}'`);
  const text = value.stringValue ?? '';
  if (text.length > MAX_TEXT_LENGTH) {
    throw new InvalidArgumentError(path, `longer than ${MAX_TEXT_LENGTH} characters`);
  }
  return text;
}

function readEventTime(
  raw: number,
  path: string,
  source: EventSource,
  limits: EventLimits,
  nowMs: number,
): number {
  if (!Number.isSafeInteger(raw) || raw <= 0) {
    throw new InvalidArgumentError(path, 'required: milliseconds since the Unix epoch, > 0');
  }
  const bounds = eventTimeBounds(nowMs, source.longestWindowMs, limits.allowedLatenessMs, limits.maxFutureMs);
  if (raw > bounds.newestMs) {
    throw new InvalidArgumentError(
      path,
      `${iso(raw)} is more than ${limits.maxFutureMs} ms ahead of the service clock (${iso(nowMs)}; EVENT_MAX_FUTURE_MS)`,
    );
  }
  if (raw < bounds.oldestMs) {
    throw new InvalidArgumentError(
      path,
      `${iso(raw)} is older than the source's longest window plus the allowed lateness (accepted from ${iso(bounds.oldestMs)}; EVENT_ALLOWED_LATENESS_MS)`,
    );
  }
  return raw;
}

/**
 * Validates every event of a batch against its source before anything is written; throws
 * InvalidArgumentError naming `events[i].<field>` at the first problem.
 */
export function validateEvents(
  source: EventSource,
  events: readonly EventInput[],
  limits: EventLimits,
  nowMs: number,
): EventToStore[] {
  if (events.length === 0) throw new InvalidArgumentError('events', 'at least one event is required');
  if (events.length > limits.maxEventsPerWrite) {
    throw new InvalidArgumentError(
      'events',
      `${events.length} events exceed the limit of ${limits.maxEventsPerWrite} per write (MAX_EVENTS_PER_WRITE)`,
    );
  }
  const joinKey = source.entity.joinKey;
  return events.map((event, i) => {
    const at = `events[${i}]`;
    const eventId = event.eventId;
    if (typeof eventId !== 'string' || eventId.length === 0) {
      throw new InvalidArgumentError(`${at}.event_id`, 'required: the idempotency key of the event');
    }
    if (eventId.length > MAX_EVENT_ID_LENGTH) {
      throw new InvalidArgumentError(`${at}.event_id`, `longer than ${MAX_EVENT_ID_LENGTH} characters`);
    }
    const eventTimeMs = readEventTime(
      Number(event.eventTimeMs),
      `${at}.event_time_unix_ms`,
      source,
      limits,
      nowMs,
    );
    const key: EntityKey = readKey(event.keys?.[joinKey], source.entity.keyType, `${at}.keys.${joinKey}`);
    for (const name of Object.keys(event.keys ?? {})) {
      if (name !== joinKey) {
        throw new InvalidArgumentError(
          `${at}.keys.${name}`,
          `not the join key of event source '${source.name}' (expected: ${joinKey})`,
        );
      }
    }
    for (const name of Object.keys(event.fields ?? {})) {
      if (!source.fields.some((f) => f.name === name)) {
        throw new InvalidArgumentError(
          `${at}.fields.${name}`,
          `not a field of event source '${source.name}' (fields: ${source.fields.map((f) => f.name).join(', ')})`,
        );
      }
    }
    const values = source.fields.map((f) => readField(event.fields?.[f.name], f, `${at}.fields.${f.name}`));
    return { eventId, key, eventTimeMs, values };
  });
}
