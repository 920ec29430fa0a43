import type { EventInput, Value } from '../events';

/** A message that can never become an event (not JSON, wrong shape); the consumer sets it aside. */
export class PoisonMessageError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'PoisonMessageError';
  }
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/** A plain JSON value as a typed Value: integers → int64, other numbers → double. */
function toValue(raw: unknown, path: string): Value {
  switch (typeof raw) {
    case 'number':
      return Number.isInteger(raw)
        ? { kind: 'int64Value', int64Value: raw }
        : { kind: 'doubleValue', doubleValue: raw };
    case 'string':
      return { kind: 'stringValue', stringValue: raw };
    case 'boolean':
      return { kind: 'boolValue', boolValue: raw };
    default:
      if (raw === null) return { kind: 'nullValue', nullValue: 'NULL_VALUE' };
      throw new PoisonMessageError(`${path}: expected a number, string, boolean or null`);
  }
}

function toValues(raw: unknown, path: string): Record<string, Value> {
  if (raw === undefined) return {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new PoisonMessageError(`${path}: expected an object of name → value`);
  return Object.fromEntries(
    Object.entries(raw).map(([name, value]) => [name, toValue(value, `${path}.${name}`)]),
  );
}

/**
 * One stream message (UTF-8 JSON, docs/event-stream.md) as the EventWriter's input. Only what JSON
 * cannot carry is refused here; everything else (required id, types, time bounds) is the writer's
 * validation, the same as for WriteEvents.
 */
export function decodeStreamEvent(data: Uint8Array): EventInput {
  let parsed: unknown;
  try {
    parsed = JSON.parse(decoder.decode(data));
  } catch (err) {
    throw new PoisonMessageError(`not UTF-8 JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new PoisonMessageError('expected a JSON object (one event)');
  const message = parsed as Record<string, unknown>;
  const id = message.event_id;
  if (id !== undefined && typeof id !== 'string' && typeof id !== 'number')
    throw new PoisonMessageError('event_id: expected a string');
  const time = message.event_time_unix_ms;
  const eventTimeMs = typeof time === 'string' && /^\d+$/.test(time) ? Number(time) : time;
  if (eventTimeMs !== undefined && typeof eventTimeMs !== 'number')
    throw new PoisonMessageError('event_time_unix_ms: expected milliseconds since the Unix epoch');
  return {
    eventId: id === undefined ? '' : String(id),
    eventTimeMs: eventTimeMs ?? 0,
    keys: toValues(message.keys, 'keys'),
    fields: toValues(message.fields, 'fields'),
  };
}
