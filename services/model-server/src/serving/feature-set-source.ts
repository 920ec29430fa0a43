import { Metadata, status } from '@grpc/grpc-js';
import { FeatureClient, TallyClientError } from '@tally/client';
import type { ClientOptions, FeatureMethod } from '@tally/client';
import { pinnedSchemaOf } from './schema-pin';
import type { PinnedSchema } from './schema-pin';

/** What the feature-service says about a feature set: its width, fingerprint and columns. */
export type FeatureSetWidth =
  | { kind: 'known'; width: number; fingerprint: string; schema: PinnedSchema }
  | { kind: 'unknown-feature-set'; message: string }
  | { kind: 'unreachable'; reason: string };

/** Where the width of a feature set comes from (the feature-service, or nothing when standalone). */
export interface FeatureSetSource {
  describe(featureSet: string): Promise<FeatureSetWidth>;
  close(): void;
}

/** Asks the feature-service (DescribeFeatureSet) with a deadline, so loading never waits forever. */
export class FeatureServiceWidthSource implements FeatureSetSource {
  readonly #client: FeatureClient;

  /** `connection`: TLS and token of the feature-service client (see featureServiceConnection). */
  constructor(
    readonly address: string,
    readonly timeoutMs: number,
    connection: Pick<ClientOptions<FeatureMethod>, 'tls' | 'token'> = {},
  ) {
    // Its own subchannels: sharing grpc-js's global pool with the Score path's client (same target and
    // options) couples their connection states, so a schema check could see a reconnecting channel
    // fail fast as "unreachable" (loading the version unchecked) and Score could fail fast on a hung
    // feature-service instead of waiting for its deadline.
    this.#client = new FeatureClient(address, {
      ...connection,
      retries: false,
      channelOptions: { 'grpc.use_local_subchannel_pool': 1 },
    });
  }

  async describe(featureSet: string): Promise<FeatureSetWidth> {
    try {
      // Wait for a connection within the check's deadline: a feature-service that is restarting (its
      // channel reconnecting) is asked again, not reported unreachable at once, which would load the
      // version unchecked.
      const res = await this.#client.describeFeatureSet(featureSet, {
        deadlineMs: this.timeoutMs,
        metadata: new Metadata({ waitForReady: true }),
      });
      const schema = res.featureSet;
      if (!schema)
        return { kind: 'unreachable', reason: 'DescribeFeatureSet answered without a feature set' };
      return {
        kind: 'known',
        width: schema.columns.length,
        fingerprint: schema.fingerprint,
        schema: pinnedSchemaOf(schema),
      };
    } catch (error) {
      const err = TallyClientError.from(error, 'DescribeFeatureSet');
      if (err.code === status.NOT_FOUND) return { kind: 'unknown-feature-set', message: err.details };
      return { kind: 'unreachable', reason: `${err.codeName}: ${err.details}` };
    }
  }

  close(): void {
    this.#client.close();
  }
}
