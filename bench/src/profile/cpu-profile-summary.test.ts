import { codeGroup, summarizeProfiles } from './cpu-profile-summary';

const frame = (functionName: string, url: string) => ({ functionName, url, lineNumber: 9 });

describe('cpu profile summary', () => {
  it('groups script URLs by npm package, repo folder or node internals', () => {
    expect(
      codeGroup('file:///r/node_modules/.pnpm/x/node_modules/@grpc/grpc-js/build/src/server.js', 'f'),
    ).toBe('@grpc/grpc-js');
    expect(codeGroup('/r/node_modules/lru-cache/dist/index.js', 'get')).toBe('lru-cache');
    expect(codeGroup('/r/services/feature-service/dist/main.js', 'main')).toBe('services/feature-service');
    expect(codeGroup('node:internal/streams/readable', 'read')).toBe('node internals');
    expect(codeGroup('', '(garbage collector)')).toBe('(garbage collector)');
  });

  it('turns samples into self time per function and per group, leaving idle time out of the busy time', () => {
    const summary = summarizeProfiles('p', [
      {
        file: 'a.cpuprofile',
        profile: {
          startTime: 0,
          endTime: 100_000, // 100 ms, 10 samples: 10 ms each
          nodes: [
            { id: 1, callFrame: frame('(root)', '') },
            { id: 2, callFrame: frame('(idle)', '') },
            { id: 3, callFrame: frame('get', '/r/node_modules/lru-cache/index.js') },
            { id: 4, callFrame: frame('handle', '/r/services/feature-service/dist/h.js') },
          ],
          samples: [2, 2, 2, 2, 3, 3, 3, 4, 4, 4],
        },
      },
    ]);
    expect(summary.wallMs).toBe(100);
    expect(summary.busyMs).toBe(60);
    expect(summary.topFunctions[0]).toEqual({
      name: 'get lru-cache/index.js:10',
      selfMs: 30,
      share: 0.5,
    });
    expect(summary.byPackage.map((g) => g.name).sort()).toEqual(['lru-cache', 'services/feature-service']);
  });
});
