/**
 * The clients against real grpc-js servers (grpc-kit's TallyServer, in this process, on loopback).
 */
import { status } from '@grpc/grpc-js';
import {
  SERVICE_NAMES,
  featureServiceDefinition,
  packageDefinition,
  scoringServiceDefinition,
} from '@tally/contracts';
import {
  InvalidArgumentError,
  Logger,
  ServiceMetrics,
  TallyServer,
  UnavailableError,
  service,
  unimplementedHandlers,
} from '@tally/grpc-kit';
import type { ServiceRegistration } from '@tally/grpc-kit';
import { TallyClientError } from './client-error';
import { FeatureClient } from './feature-client';
import { ScoringClient } from './scoring-client';
import { createTallyClient, score } from './tally-client';
import { double } from './value-map';

// Real processes on a 2-core machine; the preset's testTimeout does not apply in multi-project runs.
jest.setTimeout(60_000);

const servers: TallyServer[] = [];

async function startServer(services: ServiceRegistration[]): Promise<string> {
  const server = await TallyServer.start({
    host: '127.0.0.1',
    port: 0,
    logger: new Logger('client-test', 'error', () => undefined),
    metrics: new ServiceMetrics('client-test'),
    reflection: packageDefinition(),
    services,
  });
  server.setServing(true);
  servers.push(server);
  return `127.0.0.1:${server.port}`;
}

/** A feature-service whose ListFeatureSets answers with `label`, counting every call it receives. */
function featureService(label: string, attempts: Record<string, number>) {
  const count = (method: string) => (attempts[method] = (attempts[method] ?? 0) + 1);
  return service(
    SERVICE_NAMES.feature,
    featureServiceDefinition(),
    unimplementedHandlers(featureServiceDefinition(), {
      ListFeatureSets: () => {
        count('ListFeatureSets');
        return { featureSets: [{ name: label, description: '', width: 0, fingerprint: '' }] };
      },
      // Fails with UNAVAILABLE on the first two attempts of every call, then answers.
      GetFeatureVectors: (request) => {
        const n = count('GetFeatureVectors');
        if (n % 3 !== 0) throw new UnavailableError('online store', `attempt ${n} refused by the test`);
        return { featureSet: request.featureSet, columns: [], vectors: [], featureSetFingerprint: '' };
      },
      // Answers after `name` milliseconds, or when the call is cancelled.
      DescribeFeatureSet: async (request, ctx) => {
        count('DescribeFeatureSet');
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Number(request.name));
          ctx.signal.addEventListener('abort', () => {
            clearTimeout(timer);
            resolve();
          });
        });
        if (request.name === 'bad') throw new InvalidArgumentError('name', 'not a feature set');
        return {};
      },
      WriteFeatureRows: (request) => {
        if (request.featureView === '') throw new InvalidArgumentError('feature_view', 'required');
        return { rowsWritten: request.rows.length, rowsIgnoredOlder: 0 };
      },
    }),
  );
}

/** A model-server whose LoadModel always fails UNAVAILABLE and whose Score echoes its inputs. */
function scoringService(attempts: Record<string, number>) {
  return service(
    SERVICE_NAMES.scoring,
    scoringServiceDefinition(),
    unimplementedHandlers(scoringServiceDefinition(), {
      LoadModel: (request) => {
        attempts.LoadModel = (attempts.LoadModel ?? 0) + 1;
        throw new UnavailableError('model repository', `cannot read ${request.name}`);
      },
      Score: (request) => {
        const key = request.entityKeys.applicant_id;
        const amount = request.context.amount;
        return {
          score: Number(key?.int64Value ?? -1),
          model: request.model,
          version: '1',
          requestId: request.requestId,
          // Echo how each value arrived, so the test sees the wire types chosen by toValueMap.
          featureIssues: [
            { column: 'applicant_id', status: key?.kind ?? 'none' },
            { column: 'amount', status: amount?.kind ?? 'none' },
            { column: 'sub_grade', status: request.context.sub_grade?.stringValue ?? 'none' },
          ],
        };
      },
    }),
  );
}

afterAll(async () => {
  await Promise.all(servers.map((s) => s.shutdown(1000)));
});

describe('round-robin load balancing', () => {
  it('spreads calls evenly over every address once all are connected', async () => {
    const attemptsA: Record<string, number> = {};
    const attemptsB: Record<string, number> = {};
    const a = await startServer([featureService('A', attemptsA)]);
    const b = await startServer([featureService('B', attemptsB)]);
    for (const addresses of [[a, b], `${a},${b}`]) {
      const client = new FeatureClient(addresses);
      try {
        expect(client.target).toBe(`ipv4:${a},${b}`);
        // Until both subchannels are READY, round_robin can only pick the ready one.
        const seen = new Set<string>();
        for (let i = 0; i < 50 && seen.size < 2; i++) {
          seen.add((await client.listFeatureSets()).featureSets[0]!.name);
        }
        expect([...seen].sort()).toEqual(['A', 'B']);
        const labels: string[] = [];
        for (let i = 0; i < 10; i++) labels.push((await client.listFeatureSets()).featureSets[0]!.name);
        expect(labels.filter((l) => l === 'A')).toHaveLength(5);
        expect(labels.filter((l) => l === 'B')).toHaveLength(5);
        for (let i = 1; i < labels.length; i++) expect(labels[i]).not.toBe(labels[i - 1]);
      } finally {
        client.close();
      }
    }
  });

  it('accepts a dns:/// target', async () => {
    const port = (await startServer([featureService('D', {})])).split(':')[1];
    const client = new FeatureClient(`dns:///localhost:${port}`);
    try {
      expect((await client.listFeatureSets()).featureSets[0]!.name).toBe('D');
    } finally {
      client.close();
    }
  });
});

describe('deadlines', () => {
  let address: string;
  beforeAll(async () => {
    address = await startServer([featureService('T', {})]);
  });

  it('fails a call that outlives the client default deadline with DEADLINE_EXCEEDED', async () => {
    const client = new FeatureClient(address, { deadlinesMs: { DescribeFeatureSet: 100 } });
    try {
      expect(client.deadlineMs('DescribeFeatureSet')).toBe(100);
      const err = await client.describeFeatureSet('5000').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TallyClientError);
      expect(err).toMatchObject({
        code: status.DEADLINE_EXCEEDED,
        codeName: 'DEADLINE_EXCEEDED',
        method: '/tally.feature.v1.FeatureService/DescribeFeatureSet',
      });
      // A per-call deadline replaces the client default: this call may take its time.
      await expect(client.describeFeatureSet('150', { deadlineMs: 5000 })).resolves.toBeDefined();
    } finally {
      client.close();
    }
  });

  it('applies the documented default when nothing is overridden, and a per-call one below it', async () => {
    const client = new FeatureClient(address);
    try {
      expect(client.deadlineMs('DescribeFeatureSet')).toBe(3000);
      await expect(client.describeFeatureSet('5000', { deadlineMs: 50 })).rejects.toMatchObject({
        code: status.DEADLINE_EXCEEDED,
      });
    } finally {
      client.close();
    }
  });

  it('rejects an unknown method in deadlinesMs at construction', () => {
    expect(
      () =>
        new FeatureClient(address, { deadlinesMs: { Score: 10 } as unknown as { ListFeatureSets: number } }),
    ).toThrow('deadlinesMs.Score: tally.feature.v1.FeatureService has no such method');
  });

  it('cancels a call when its AbortSignal fires', async () => {
    const client = new FeatureClient(address);
    try {
      const controller = new AbortController();
      const pending = client.describeFeatureSet('5000', { signal: controller.signal });
      setTimeout(() => controller.abort(), 20);
      await expect(pending).rejects.toMatchObject({ code: status.CANCELLED });
    } finally {
      client.close();
    }
  });
});

describe('retries', () => {
  it('retries a safe read on UNAVAILABLE until it succeeds', async () => {
    const attempts: Record<string, number> = {};
    const client = new FeatureClient(await startServer([featureService('R', attempts)]));
    try {
      await expect(client.getFeatureVectors({ featureSet: 'credit_risk' })).resolves.toMatchObject({
        featureSet: 'credit_risk',
      });
      expect(attempts.GetFeatureVectors).toBe(3);
    } finally {
      client.close();
    }
  });

  it('does not retry when retries are switched off', async () => {
    const attempts: Record<string, number> = {};
    const client = new FeatureClient(await startServer([featureService('R', attempts)]), { retries: false });
    try {
      await expect(client.getFeatureVectors({ featureSet: 'credit_risk' })).rejects.toMatchObject({
        code: status.UNAVAILABLE,
        details: 'online store unavailable: attempt 1 refused by the test',
      });
      expect(attempts.GetFeatureVectors).toBe(1);
    } finally {
      client.close();
    }
  });

  it('never retries LoadModel', async () => {
    const attempts: Record<string, number> = {};
    const client = new ScoringClient(await startServer([scoringService(attempts)]));
    try {
      const err = await client.loadModel({ name: 'credit_risk' }).catch((e: unknown) => e);
      expect(err).toMatchObject({
        code: status.UNAVAILABLE,
        method: '/tally.model.v1.ScoringService/LoadModel',
        details: 'model repository unavailable: cannot read credit_risk',
      });
      expect(attempts.LoadModel).toBe(1);
    } finally {
      client.close();
    }
  });

  it('does not retry other errors, and keeps the server message naming the field', async () => {
    const client = new FeatureClient(await startServer([featureService('E', {})]));
    try {
      const err = (await client
        .writeFeatureRows({ featureView: '', rows: [] })
        .catch((e: unknown) => e)) as Error;
      expect(err).toMatchObject({ code: status.INVALID_ARGUMENT, details: 'feature_view: required' });
      expect(err.message).toBe(
        '/tally.feature.v1.FeatureService/WriteFeatureRows failed with INVALID_ARGUMENT: feature_view: required',
      );
    } finally {
      client.close();
    }
  });
});

describe('score() and createTallyClient', () => {
  let modelServer: string;
  beforeAll(async () => {
    modelServer = await startServer([scoringService({})]);
  });

  it('scores one decision from plain values in one call', async () => {
    const response = await score({
      modelServer,
      model: 'credit_risk',
      entityKeys: { applicant_id: 17 },
      context: { amount: 5000, sub_grade: 'C1' },
      requestId: 'r-1',
    });
    expect(response).toMatchObject({ score: 17, model: 'credit_risk', requestId: 'r-1' });
    expect(response.featureIssues).toEqual([
      { column: 'applicant_id', status: 'int64Value' },
      { column: 'amount', status: 'int64Value' },
      { column: 'sub_grade', status: 'C1' },
    ]);
  });

  it('sends a forced double as a double', async () => {
    const tally = createTallyClient({ modelServer, deadlinesMs: { Score: 2000 } });
    try {
      expect(tally.scoring.deadlineMs('Score')).toBe(2000);
      const response = await tally.score({
        model: 'credit_risk',
        entityKeys: { applicant_id: 3 },
        context: { amount: double(5000) },
      });
      expect(response.featureIssues[1]).toEqual({ column: 'amount', status: 'doubleValue' });
    } finally {
      tally.close();
    }
  });

  it('names the missing address when a client without one is used', () => {
    const tally = createTallyClient({ modelServer });
    expect(() => tally.features).toThrow('createTallyClient: no featureService address was given');
    tally.close();
  });
});
