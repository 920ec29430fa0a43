import type { Metadata, ServiceError } from '@grpc/grpc-js';
import { createFeatureServiceClient } from '@tally/contracts';
import type { feature } from '@tally/contracts';

/** Promise-returning FeatureService calls with a deadline, for tests. */
export interface FeatureClient {
  getVectors(
    req: feature.GetFeatureVectorsRequest,
    timeoutMs?: number,
  ): Promise<feature.GetFeatureVectorsResponse__Output>;
  write(
    req: feature.WriteFeatureRowsRequest,
    timeoutMs?: number,
  ): Promise<feature.WriteFeatureRowsResponse__Output>;
  writeEvents(
    req: feature.WriteEventsRequest,
    timeoutMs?: number,
  ): Promise<feature.WriteEventsResponse__Output>;
  list(): Promise<feature.ListFeatureSetsResponse__Output>;
  describe(name: string): Promise<feature.DescribeFeatureSetResponse__Output>;
  close(): void;
}

type Callback<T> = (err: ServiceError | null, res?: T) => void;

export function featureClient(address: string): FeatureClient {
  const client = createFeatureServiceClient(address);
  const call =
    <Req, Res>(
      method: (
        req: Req,
        metadata: Metadata | object,
        options: object | Callback<Res>,
        cb?: Callback<Res>,
      ) => unknown,
    ) =>
    (req: Req, timeoutMs = 5000): Promise<Res> =>
      new Promise((resolve, reject) =>
        method.call(
          client,
          req,
          { deadline: Date.now() + timeoutMs },
          (err: ServiceError | null, res?: Res) => (err ? reject(err) : resolve(res!)),
        ),
      );
  return {
    getVectors: call(client.GetFeatureVectors as never),
    write: call(client.WriteFeatureRows as never),
    writeEvents: call(client.WriteEvents as never),
    list: () => call<object, feature.ListFeatureSetsResponse__Output>(client.ListFeatureSets as never)({}),
    describe: (name) =>
      call<object, feature.DescribeFeatureSetResponse__Output>(client.DescribeFeatureSet as never)({ name }),
    close: () => client.close(),
  };
}
