import { PoisonMessageError, decodeStreamEvent } from './stream-event-decoder';

const bytes = (s: string) => new TextEncoder().encode(s);
const poison = (s: string | Uint8Array) => {
  try {
    decodeStreamEvent(typeof s === 'string' ? bytes(s) : s);
  } catch (err) {
    expect(err).toBeInstanceOf(PoisonMessageError);
    return (err as PoisonMessageError).reason;
  }
  throw new Error('expected a poison message');
};

describe('decodeStreamEvent', () => {
  it('maps plain JSON to the EventWriter input: integers → int64, other numbers → double', () => {
    const event = decodeStreamEvent(
      bytes(
        JSON.stringify({
          event_id: 'e-1',
          event_time_unix_ms: 1765000000000,
          keys: { applicant_id: 17 },
          fields: { amount: 12.5, quantity: 2, decision: 'declined', online: false, note: null },
        }),
      ),
    );
    expect(event).toEqual({
      eventId: 'e-1',
      eventTimeMs: 1765000000000,
      keys: { applicant_id: { kind: 'int64Value', int64Value: 17 } },
      fields: {
        amount: { kind: 'doubleValue', doubleValue: 12.5 },
        quantity: { kind: 'int64Value', int64Value: 2 },
        decision: { kind: 'stringValue', stringValue: 'declined' },
        online: { kind: 'boolValue', boolValue: false },
        note: { kind: 'nullValue', nullValue: 'NULL_VALUE' },
      },
    });
    // A numeric-string time and a numeric id are accepted; absent parts are left to the writer's validation.
    expect(decodeStreamEvent(bytes('{"event_id": 5, "event_time_unix_ms": "1765000000000"}'))).toEqual({
      eventId: '5',
      eventTimeMs: 1765000000000,
      keys: {},
      fields: {},
    });
  });

  it('refuses what cannot be an event, saying why', () => {
    expect(poison('not json')).toMatch(/^not UTF-8 JSON/);
    expect(poison(new Uint8Array([0x7b, 0xff, 0x7d]))).toMatch(/^not UTF-8 JSON/);
    expect(poison('[1, 2]')).toBe('expected a JSON object (one event)');
    expect(poison('{"event_id": {"a": 1}}')).toBe('event_id: expected a string');
    expect(poison('{"event_time_unix_ms": "yesterday"}')).toMatch(/^event_time_unix_ms: /);
    expect(poison('{"keys": [1]}')).toBe('keys: expected an object of name → value');
    expect(poison('{"fields": {"amount": [1]}}')).toBe(
      'fields.amount: expected a number, string, boolean or null',
    );
  });
});
