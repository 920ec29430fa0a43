import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { createFeatureServiceClient } from '@tally/contracts';
import type { feature } from '@tally/contracts';
import { spawnService, startService } from '@tally/testkit';

const SLOW_SERVER = path.resolve(__dirname, '../dist/testing/slow-server.js');

function listFeatureSets(client: feature.FeatureServiceClient, timeoutMs: number) {
  return new Promise<{ names: string[] }>((resolve, reject) =>
    client.ListFeatureSets({}, { deadline: Date.now() + timeoutMs }, (err, res) =>
      err ? reject(err) : resolve({ names: res!.featureSets.map((s) => s.name) }),
    ),
  );
}

describe('graceful shutdown', () => {
  it('lets an in-flight call finish, refuses new calls, and exits 0 on SIGTERM', async () => {
    const proc = await startService({ script: SLOW_SERVER, env: { GRPC_PORT: '0', SLOW_MS: '1500' } });
    const client = createFeatureServiceClient(proc.address);
    try {
      const inFlight = listFeatureSets(client, 10000);
      await proc.waitForRecord((r) => r.message === 'slow call started');
      proc.child.kill('SIGTERM');
      await proc.waitForRecord((r) => r.message === 'shutting down');

      const lateClient = createFeatureServiceClient(proc.address);
      const late = await listFeatureSets(lateClient, 5000).then(
        () => 'accepted',
        (err: grpc.ServiceError) => err.code,
      );
      lateClient.close();
      // Refused at once: a call left to hang would end DEADLINE_EXCEEDED instead.
      expect(late).toBe(grpc.status.UNAVAILABLE);

      await expect(inFlight).resolves.toEqual({ names: ['slow'] });
      await expect(proc.exited).resolves.toEqual({ code: 0, signal: null });
      expect(proc.records().map((r) => r.message)).toEqual(
        expect.arrayContaining(['shutting down', 'stopped']),
      );
    } finally {
      client.close();
      await proc.stop('SIGKILL');
    }
  });

  it('forces the shutdown when in-flight calls outlast SHUTDOWN_GRACE_MS, still exiting 0', async () => {
    const proc = await startService({
      script: SLOW_SERVER,
      env: { GRPC_PORT: '0', SLOW_MS: '20000', SHUTDOWN_GRACE_MS: '300' },
    });
    const client = createFeatureServiceClient(proc.address);
    try {
      const inFlight = listFeatureSets(client, 30000).catch((err: grpc.ServiceError) => err.code);
      await proc.waitForRecord((r) => r.message === 'slow call started');
      proc.child.kill('SIGTERM');
      await expect(proc.exited).resolves.toEqual({ code: 0, signal: null });
      // The call outlived the grace period: it fails (grpc-js reports the forced close as CANCELLED).
      expect([grpc.status.CANCELLED, grpc.status.UNAVAILABLE]).toContain(await inFlight);
      expect(proc.records().some((r) => r.message === 'grace period over, forcing shutdown')).toBe(true);
    } finally {
      client.close();
      await proc.stop('SIGKILL');
    }
  });
});

describe('configuration validation at start-up', () => {
  it.each([
    ['GRPC_PORT', 'not-a-port'],
    ['SHUTDOWN_GRACE_MS', '-5'],
    ['LOG_LEVEL', 'verbose'],
  ])('exits non-zero naming %s when it is %p', async (name, value) => {
    const proc = spawnService({ script: SLOW_SERVER, env: { [name]: value } });
    const exit = await proc.exited;
    expect(exit.code).toBe(2);
    const stderr = proc.stderr.join('');
    expect(stderr).toContain(`${name}="${value}" is not allowed`);
    expect(stderr).toMatch(/expected /);
  });
});
