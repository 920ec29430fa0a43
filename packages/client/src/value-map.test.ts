import { double, fromValue, fromValueMap, int64, toValue, toValueMap } from './value-map';
import { resolveTarget } from './target';

describe('toValueMap', () => {
  it('types integers as int64, fractions as double, and passes strings, booleans and nulls', () => {
    expect(
      toValueMap({
        applicant_id: 17,
        amount: 5000,
        rate: 0.125,
        sub_grade: 'C1',
        first: true,
        note: null,
        x: undefined,
      }),
    ).toEqual({
      applicant_id: { int64Value: 17 },
      amount: { int64Value: 5000 },
      rate: { doubleValue: 0.125 },
      sub_grade: { stringValue: 'C1' },
      first: { boolValue: true },
      note: { nullValue: 'NULL_VALUE' },
      x: { nullValue: 'NULL_VALUE' },
    });
  });

  it('lets callers force a type', () => {
    expect(toValueMap({ amount: double(5000), big: 2n ** 60n, id: int64(7) })).toEqual({
      amount: { doubleValue: 5000 },
      big: { int64Value: '1152921504606846976' },
      id: { int64Value: 7 },
    });
  });

  it('refuses values that cannot be sent, naming the key', () => {
    expect(() => toValueMap({ amount: NaN })).toThrow('amount: NaN is not a valid value');
    expect(() => toValueMap({ amount: Infinity })).toThrow('amount: Infinity is not a valid value');
    expect(() => toValueMap({ id: 2 ** 60 })).toThrow(`id: ${2 ** 60} is beyond 2^53; pass a bigint`);
    expect(() => toValue({ nested: 1 } as never, 'ctx')).toThrow('ctx: cannot send a object as a Value');
    expect(() => int64(1.5)).toThrow('not a safe integer');
    expect(() => double(NaN)).toThrow('NaN and ±Infinity are not values');
  });

  it('reads received values back into plain ones', () => {
    expect(
      fromValueMap({
        a: { kind: 'int64Value', int64Value: 3 },
        b: { kind: 'doubleValue', doubleValue: 0.5 },
        c: { kind: 'stringValue', stringValue: 'x' },
        d: { kind: 'boolValue', boolValue: false },
        e: { kind: 'nullValue', nullValue: 'NULL_VALUE' },
      }),
    ).toEqual({ a: 3, b: 0.5, c: 'x', d: false, e: null });
    expect(fromValue(undefined)).toBeNull();
  });
});

describe('resolveTarget', () => {
  it('keeps one address or resolver target as is', () => {
    expect(resolveTarget('model-server:50061')).toBe('model-server:50061');
    expect(resolveTarget(['dns:///model-server.tally.svc:50061'])).toBe(
      'dns:///model-server.tally.svc:50061',
    );
  });

  it('joins several IP addresses into one ipv4/ipv6 target', () => {
    expect(resolveTarget(['127.0.0.1:50051', '127.0.0.1:50061'])).toBe(
      'ipv4:127.0.0.1:50051,127.0.0.1:50061',
    );
    expect(resolveTarget(' 10.0.0.1:1 , 10.0.0.2:1 ')).toBe('ipv4:10.0.0.1:1,10.0.0.2:1');
    expect(resolveTarget(['[::1]:50051', '[::1]:50061'])).toBe('ipv6:[::1]:50051,[::1]:50061');
  });

  it('refuses lists it cannot balance, saying what to do instead', () => {
    expect(() => resolveTarget([])).toThrow('addresses: at least one address is required');
    expect(() => resolveTarget(['a:1', 'b:1'])).toThrow(
      `addresses: 'a:1' is not an ip:port; several addresses must be IP literals (for a DNS name use one "dns:///name:port" target)`,
    );
    expect(() => resolveTarget(['127.0.0.1:1', '[::1]:2'])).toThrow('cannot mix IPv4 and IPv6');
  });
});
