import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { tlsChannelCredentials, tlsChannelOptions, tlsRequested } from '@tally/client';
import type { ClientOptions } from '@tally/client';
import { protoPath } from 'grpc-health-check';

type HealthCheck = (
  request: { service: string },
  options: grpc.CallOptions,
  callback: (err: grpc.ServiceError | null, response?: { status: string }) => void,
) => void;

type HealthClient = grpc.Client & { Check: HealthCheck };

let healthClientClass:
  | (new (
      address: string,
      credentials: grpc.ChannelCredentials,
      options: grpc.ChannelOptions,
    ) => HealthClient)
  | undefined;

function healthClient(address: string, connection: Pick<ClientOptions, 'tls'>): HealthClient {
  if (healthClientClass === undefined) {
    const loaded = grpc.loadPackageDefinition(
      protoLoader.loadSync(protoPath, { enums: String }),
    ) as unknown as {
      grpc: { health: { v1: { Health: typeof healthClientClass } } };
    };
    healthClientClass = loaded.grpc.health.v1.Health;
  }
  const tls = tlsRequested(connection.tls) ? connection.tls : undefined;
  return new healthClientClass!(
    address,
    tls === undefined ? grpc.credentials.createInsecure() : tlsChannelCredentials(tls),
    tlsChannelOptions(tls),
  );
}

/**
 * The grpc.health.v1 status of the server at `address` ("SERVING", "NOT_SERVING", …), or
 * "UNREACHABLE" when no answer came within `timeoutMs`.
 */
export async function serviceHealth(
  address: string,
  connection: Pick<ClientOptions, 'tls'> = {},
  timeoutMs = 2000,
): Promise<string> {
  const client = healthClient(address, connection);
  try {
    return await new Promise<string>((resolve) =>
      client.Check({ service: '' }, { deadline: Date.now() + timeoutMs }, (err, res) =>
        resolve(err ? 'UNREACHABLE' : (res?.status ?? 'UNKNOWN')),
      ),
    );
  } finally {
    client.close();
  }
}
