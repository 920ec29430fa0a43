import * as grpc from '@grpc/grpc-js';
import {
  SERVICE_NAMES,
  createFeatureServiceClient,
  featureServiceDefinition,
  packageDefinition,
} from '@tally/contracts';
import { connectionAgeOptions } from './connection-age';
import { Logger } from './logger';
import { ServiceMetrics } from './metrics';
import { TallyServer, service } from './tally-server';
import { unimplementedHandlers } from './unimplemented';

/** Resolves with the channel's next state once it leaves `from` (generous deadline: the machine is busy). */
function nextState(
  channel: ReturnType<grpc.Client['getChannel']>,
  from: grpc.connectivityState,
): Promise<grpc.connectivityState> {
  return new Promise((resolve, reject) =>
    channel.watchConnectivityState(from, Date.now() + 60_000, (err) =>
      err ? reject(err) : resolve(channel.getConnectivityState(false)),
    ),
  );
}

describe('connection age', () => {
  it('sets grpc-js max connection age and grace, and nothing when the age is 0', () => {
    expect(
      connectionAgeOptions({ GRPC_MAX_CONNECTION_AGE_MS: 300000, GRPC_MAX_CONNECTION_AGE_GRACE_MS: 30000 }),
    ).toEqual({ 'grpc.max_connection_age_ms': 300000, 'grpc.max_connection_age_grace_ms': 30000 });
    expect(
      connectionAgeOptions({ GRPC_MAX_CONNECTION_AGE_MS: 0, GRPC_MAX_CONNECTION_AGE_GRACE_MS: 30000 }),
    ).toEqual({});
  });

  it('a server with a connection age makes a connected client reconnect, and calls keep working', async () => {
    const server = await TallyServer.start({
      host: '127.0.0.1',
      port: 0,
      logger: new Logger('test', 'error', () => undefined),
      metrics: new ServiceMetrics('test'),
      reflection: packageDefinition(),
      services: [
        service(
          SERVICE_NAMES.feature,
          featureServiceDefinition(),
          unimplementedHandlers(featureServiceDefinition(), {}),
        ),
      ],
      channelOptions: connectionAgeOptions({
        GRPC_MAX_CONNECTION_AGE_MS: 300,
        GRPC_MAX_CONNECTION_AGE_GRACE_MS: 100,
      }),
    });
    const client = createFeatureServiceClient(`127.0.0.1:${server.port}`);
    const call = () =>
      new Promise<number>((resolve) =>
        client.DescribeFeatureSet({ name: 'x' }, (err) => resolve(err ? err.code : grpc.status.OK)),
      );
    try {
      expect(await call()).toBe(grpc.status.UNIMPLEMENTED);
      const channel = client.getChannel();
      expect(channel.getConnectivityState(false)).toBe(grpc.connectivityState.READY);
      // GOAWAY after the age: the client's connection leaves READY without any call or error of ours.
      const after = await nextState(channel, grpc.connectivityState.READY);
      expect(after).not.toBe(grpc.connectivityState.READY);
      expect(await call()).toBe(grpc.status.UNIMPLEMENTED);
    } finally {
      client.close();
      await server.shutdown(1000);
    }
  });
});
