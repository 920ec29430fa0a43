import { parseH2load } from './h2load';

const OUTPUT = `starting benchmark...
spawning thread #0: 1 total client(s). 200 total requests
Application protocol: h2c
progress: 100% done

finished in 956.99ms, 208.99 req/s, 19.34KB/s
requests: 200 total, 200 started, 198 done, 197 succeeded, 1 failed, 2 errored, 0 timeout
status codes: 197 2xx, 0 3xx, 0 4xx, 1 5xx
traffic: 18.51KB (18955) total, 1.09KB (1113) headers (space savings 96.00%), 11.72KB (12000) data
`;

describe('parseH2load', () => {
  it('reads calls, 2xx, failures and wall time, and every latency from the per-call log', () => {
    const log = '1700000000000000\t200\t525\n1700000000000600\t200\t1250\n';
    expect(parseH2load(OUTPUT, log)).toEqual({
      calls: 198,
      http2xx: 197,
      failed: 3,
      wallMs: 956.99,
      latenciesMs: [0.525, 1.25],
    });
  });

  it('reads a wall time given in seconds', () => {
    expect(parseH2load(OUTPUT.replace('956.99ms', '2.5s'), '').wallMs).toBe(2500);
  });

  it('says what it could not read', () => {
    expect(() => parseH2load('h2load: connection refused', '')).toThrow(/cannot read the elapsed time/);
  });
});
