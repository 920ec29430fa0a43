import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { protoPath } from 'grpc-health-check';

type HealthCheckFn = (
  req: { service: string },
  options: grpc.CallOptions,
  cb: (err: grpc.ServiceError | null, res?: { status: string }) => void,
) => void;

/** Calls grpc.health.v1.Health/Check and returns the status name (e.g. "SERVING"). */
export async function checkHealth(
  address: string,
  serviceName = '',
  timeoutMs = 3000,
  credentials: grpc.ChannelCredentials = grpc.credentials.createInsecure(),
): Promise<string> {
  const definition = protoLoader.loadSync(protoPath, { enums: String });
  const pkg = grpc.loadPackageDefinition(definition) as unknown as {
    grpc: {
      health: {
        v1: { Health: new (a: string, c: grpc.ChannelCredentials) => grpc.Client & { Check: HealthCheckFn } };
      };
    };
  };
  const client = new pkg.grpc.health.v1.Health(address, credentials);
  try {
    return await new Promise<string>((resolve, reject) =>
      client.Check({ service: serviceName }, { deadline: Date.now() + timeoutMs }, (err, res) =>
        err ? reject(err) : resolve(res!.status),
      ),
    );
  } finally {
    client.close();
  }
}
