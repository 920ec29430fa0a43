import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

interface ReflectionResponse {
  listServicesResponse?: { service: Array<{ name: string }> };
  errorResponse?: { errorCode: number; errorMessage: string };
}

/** Lists the services a server exposes through grpc.reflection.v1 server reflection. */
export async function listServicesByReflection(address: string, timeoutMs = 3000): Promise<string[]> {
  const protoFile = path.join(
    path.dirname(require.resolve('@grpc/reflection/package.json')),
    'build/proto/grpc/reflection/v1/reflection.proto',
  );
  const definition = protoLoader.loadSync(protoFile, { keepCase: false, oneofs: true });
  const pkg = grpc.loadPackageDefinition(definition) as unknown as {
    grpc: {
      reflection: {
        v1: {
          ServerReflection: new (
            a: string,
            c: grpc.ChannelCredentials,
          ) => grpc.Client & {
            ServerReflectionInfo(
              options: grpc.CallOptions,
            ): grpc.ClientDuplexStream<unknown, ReflectionResponse>;
          };
        };
      };
    };
  };
  const client = new pkg.grpc.reflection.v1.ServerReflection(address, grpc.credentials.createInsecure());
  try {
    return await new Promise<string[]>((resolve, reject) => {
      const stream = client.ServerReflectionInfo({ deadline: Date.now() + timeoutMs });
      stream.on('data', (res: ReflectionResponse) => {
        if (res.listServicesResponse) resolve(res.listServicesResponse.service.map((s) => s.name).sort());
        else
          reject(new Error(`reflection error: ${res.errorResponse?.errorMessage ?? 'unexpected response'}`));
        stream.end();
      });
      stream.on('error', reject);
      stream.write({ listServices: '' });
    });
  } finally {
    client.close();
  }
}
