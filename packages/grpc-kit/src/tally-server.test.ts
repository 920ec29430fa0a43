import * as grpc from '@grpc/grpc-js';
import {
  SERVICE_NAMES,
  createFeatureServiceClient,
  featureServiceDefinition,
  packageDefinition,
} from '@tally/contracts';
import { InvalidArgumentError } from './errors';
import { Logger } from './logger';
import { ServiceMetrics } from './metrics';
import { checkHealth } from '@tally/testkit';
import { LIVENESS_HEALTH_NAME, TallyServer, service } from './tally-server';
import { unimplementedHandlers } from './unimplemented';

describe('TallyServer', () => {
  let server: TallyServer;
  let metrics: ServiceMetrics;
  const logged: string[] = [];

  beforeAll(async () => {
    metrics = new ServiceMetrics('test');
    server = await TallyServer.start({
      host: '127.0.0.1',
      port: 0,
      logger: new Logger('test', 'debug', (line) => logged.push(line)),
      metrics,
      reflection: packageDefinition(),
      services: [
        service(
          SERVICE_NAMES.feature,
          featureServiceDefinition(),
          unimplementedHandlers(featureServiceDefinition(), {
            DescribeFeatureSet: (request) => {
              if (request.name === '') throw new InvalidArgumentError('name', 'required');
              throw new Error(`exploded on ${request.name}`);
            },
          }),
        ),
      ],
    });
    server.setServing(true);
  });
  afterAll(() => server.shutdown(1000));

  function call<T>(fn: (cb: (err: grpc.ServiceError | null, res?: T) => void) => void) {
    return new Promise<{ code: number; details: string }>((resolve) =>
      fn((err) => resolve(err ? { code: err.code, details: err.details } : { code: 0, details: '' })),
    );
  }

  it('answers methods that are not built yet with UNIMPLEMENTED naming the method', async () => {
    const client = createFeatureServiceClient(`127.0.0.1:${server.port}`);
    const reply = await call((cb) => client.GetFeatureVectors({ featureSet: 'x' }, cb));
    client.close();
    expect(reply).toEqual({
      code: grpc.status.UNIMPLEMENTED,
      details: '/tally.feature.v1.FeatureService/GetFeatureVectors is not implemented yet',
    });
  });

  it('maps thrown errors through the one status mapping, and logs internal ones', async () => {
    const client = createFeatureServiceClient(`127.0.0.1:${server.port}`);
    const invalid = await call((cb) => client.DescribeFeatureSet({ name: '' }, cb));
    const internal = await call((cb) => client.DescribeFeatureSet({ name: 'boom' }, cb));
    client.close();
    expect(invalid).toEqual({ code: grpc.status.INVALID_ARGUMENT, details: 'name: required' });
    expect(internal).toEqual({ code: grpc.status.INTERNAL, details: 'internal error: exploded on boom' });
    expect(logged.some((l) => l.includes('"level":"error"') && l.includes('exploded on boom'))).toBe(true);
  });

  it('answers bytes that are not a valid request message with INVALID_ARGUMENT, not INTERNAL', async () => {
    const client = new grpc.Client(`127.0.0.1:${server.port}`, grpc.credentials.createInsecure());
    const reply = await call((cb) =>
      client.makeUnaryRequest(
        '/tally.feature.v1.FeatureService/DescribeFeatureSet',
        (b: Buffer) => b,
        (b: Buffer) => b,
        Buffer.from([0x08]), // field 1 as a varint, then no varint
        cb,
      ),
    );
    client.close();
    expect(reply.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(reply.details).toMatch(
      /^request: not a valid request message for \/tally\.feature\.v1\.FeatureService\/DescribeFeatureSet \(.+\)$/,
    );
  });

  it('counts every call in the RPC latency histogram by method and code', async () => {
    const text = await metrics.registry.metrics();
    const count = (method: string, code: string) =>
      text
        .split('\n')
        .filter((l) => l.startsWith('tally_rpc_duration_seconds_count{'))
        .filter((l) => l.includes(`method="${method}"`) && l.includes(`code="${code}"`))
        .map((l) => Number(l.split(' ').pop()))[0];
    expect(count('GetFeatureVectors', 'UNIMPLEMENTED')).toBe(1);
    expect(count('DescribeFeatureSet', 'INVALID_ARGUMENT')).toBe(2);
    expect(count('DescribeFeatureSet', 'INTERNAL')).toBe(1);
  });
});

describe('TallyServer health', () => {
  it('follows its health source: readiness, extra names and liveness, and stays NOT_SERVING after shutdown', async () => {
    const server = await TallyServer.start({
      host: '127.0.0.1',
      port: 0,
      logger: new Logger('test', 'error', () => undefined),
      metrics: new ServiceMetrics('health-test'),
      reflection: packageDefinition(),
      services: [
        service(
          SERVICE_NAMES.feature,
          featureServiceDefinition(),
          unimplementedHandlers(featureServiceDefinition()),
        ),
      ],
    });
    const address = `127.0.0.1:${server.port}`;
    const names = ['', SERVICE_NAMES.feature, LIVENESS_HEALTH_NAME, 'model/a', 'model/b'];
    const snapshot = async () =>
      Object.fromEntries(
        await Promise.all(
          names.map(async (n) => [n, await checkHealth(address, n).catch((e: grpc.ServiceError) => e.code)]),
        ),
      );
    let ready = false;
    let models = new Map([
      ['model/a', false],
      ['model/b', true],
    ]);
    server.setHealthSource({ ready: () => ready, names: () => models });
    expect(await snapshot()).toEqual({
      '': 'NOT_SERVING',
      [SERVICE_NAMES.feature]: 'NOT_SERVING',
      liveness: 'NOT_SERVING',
      'model/a': 'NOT_SERVING',
      'model/b': 'NOT_SERVING',
    });
    server.setServing(true);
    expect(await snapshot()).toEqual({
      '': 'NOT_SERVING',
      [SERVICE_NAMES.feature]: 'NOT_SERVING',
      liveness: 'SERVING',
      'model/a': 'NOT_SERVING',
      'model/b': 'SERVING',
    });
    ready = true;
    models = new Map([['model/a', true]]);
    server.refreshHealth();
    expect(await snapshot()).toEqual({
      '': 'SERVING',
      [SERVICE_NAMES.feature]: 'SERVING',
      liveness: 'SERVING',
      'model/a': 'SERVING',
      'model/b': 'NOT_SERVING', // a name that went away reports NOT_SERVING, not SERVING
    });
    const stopping = server.shutdown(1000);
    server.setServing(true); // e.g. start-up finishing after SIGTERM: ignored
    server.refreshHealth();
    // Either still answering NOT_SERVING or no longer accepting calls; never SERVING again.
    expect(Object.values(await snapshot()).filter((s) => s === 'SERVING')).toEqual([]);
    await stopping;
  });
});
