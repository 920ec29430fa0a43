import { decodeChange, decodeHeartbeat, encodeChanges, encodeHeartbeat } from './change-messages';

const text = (data: Uint8Array) => new TextDecoder().decode(data);

describe('cache invalidation messages', () => {
  it('round-trips a change and splits a large one under the size limit', () => {
    const [one, ...rest] = encodeChanges('r1', 'applicant_profile', ['1', 'a"b']);
    expect(rest).toEqual([]);
    expect(JSON.parse(text(one!))).toEqual({ replica: 'r1', name: 'applicant_profile', keys: ['1', 'a"b'] });
    expect(decodeChange(one!)).toEqual({ replica: 'r1', name: 'applicant_profile', keys: ['1', 'a"b'] });

    const keys = Array.from({ length: 1000 }, (_, i) => `key-${i}`);
    const parts = encodeChanges('r1', 'v', keys, 2000);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(part.byteLength).toBeLessThanOrEqual(2000);
    expect(parts.flatMap((p) => decodeChange(p)!.keys)).toEqual(keys);
  });

  it('refuses what is not a change or a heartbeat', () => {
    const bytes = (s: string) => new TextEncoder().encode(s);
    expect(decodeChange(bytes('not json'))).toBeUndefined();
    expect(decodeChange(bytes('{"replica":"r","name":"v","keys":[1]}'))).toBeUndefined();
    expect(decodeChange(bytes('[]'))).toBeUndefined();
    expect(decodeHeartbeat(bytes('{"bye":true}'))).toBeUndefined();
    expect(decodeHeartbeat(encodeHeartbeat({ replica: 'r', bye: true }))).toEqual({
      replica: 'r',
      bye: true,
    });
    expect(decodeHeartbeat(encodeHeartbeat({ replica: 'r' }))).toEqual({ replica: 'r' });
  });
});
