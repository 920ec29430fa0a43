import type { ServiceError } from '@grpc/grpc-js';
import { createFeatureServiceClient } from '@tally/contracts';
import type { feature } from '@tally/contracts';

/** The FeatureService calls the CLI makes, as promises with a deadline. */
export class FeatureServiceCalls {
  readonly #client: ReturnType<typeof createFeatureServiceClient>;

  constructor(
    address: string,
    readonly timeoutMs: number,
  ) {
    this.#client = createFeatureServiceClient(address);
  }

  #call<Req, Res>(method: string, request: Req): Promise<Res> {
    const fn = (this.#client as unknown as Record<string, (...args: unknown[]) => void>)[method]!;
    return new Promise((resolve, reject) =>
      fn.call(
        this.#client,
        request,
        { deadline: Date.now() + this.timeoutMs },
        (err: ServiceError | null, res: Res) => (err ? reject(err) : resolve(res)),
      ),
    );
  }

  listFeatureSets(): Promise<feature.ListFeatureSetsResponse__Output> {
    return this.#call('ListFeatureSets', {});
  }

  describeFeatureSet(name: string): Promise<feature.DescribeFeatureSetResponse__Output> {
    return this.#call('DescribeFeatureSet', { name });
  }

  writeFeatureRows(
    request: feature.WriteFeatureRowsRequest,
  ): Promise<feature.WriteFeatureRowsResponse__Output> {
    return this.#call('WriteFeatureRows', request);
  }

  close(): void {
    this.#client.close();
  }
}
