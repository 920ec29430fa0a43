import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkHealth } from './health-client';
import { listServicesByReflection } from './reflection-client';
import { repoRoot } from './repo-root';
import { startService } from './service-process';

/**
 * Each service, started exactly as in production (its compiled main.js, configured by environment
 * only), serves health and reflection and stops cleanly on SIGTERM.
 */
const SERVICES = [
  {
    name: 'feature-service',
    script: 'services/feature-service/dist/main.js',
    expected: ['tally.feature.v1.FeatureService'],
  },
  {
    name: 'model-server',
    script: 'services/model-server/dist/main.js',
    expected: ['inference.GRPCInferenceService', 'tally.model.v1.ScoringService'],
  },
];

describe.each(SERVICES)('$name process', ({ script, expected }) => {
  let workDir: string;
  beforeAll(() => {
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-lifecycle-'));
  });
  afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

  it('serves health and reflection, then exits 0 promptly on SIGTERM', async () => {
    const proc = await startService({
      script: path.join(repoRoot(), script),
      env: { GRPC_PORT: '0', METRICS_PORT: '0', STORE_URL: `sqlite:${path.join(workDir, 'store.sqlite')}` },
      startTimeoutMs: 60000,
    });
    try {
      expect(await checkHealth(proc.address)).toBe('SERVING');
      for (const name of expected) expect(await checkHealth(proc.address, name)).toBe('SERVING');

      const services = await listServicesByReflection(proc.address);
      expect(services).toEqual(expect.arrayContaining([...expected, 'grpc.health.v1.Health']));

      const stoppedAt = Date.now();
      const exit = await proc.stop('SIGTERM');
      expect(exit).toEqual({ code: 0, signal: null });
      expect(Date.now() - stoppedAt).toBeLessThan(10000);
    } finally {
      await proc.stop('SIGKILL');
    }
  }, 90000);
});
