import { status } from '@grpc/grpc-js';
import type { ServiceError } from '@grpc/grpc-js';
import { createFeatureServiceClient } from '@tally/contracts';
import type { feature } from '@tally/contracts';
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
  readonly #client: ReturnType<typeof createFeatureServiceClient>;

  constructor(
    readonly address: string,
    readonly timeoutMs: number,
  ) {
    this.#client = createFeatureServiceClient(address);
  }

  describe(featureSet: string): Promise<FeatureSetWidth> {
    return new Promise((resolve) => {
      this.#client.DescribeFeatureSet(
        { name: featureSet },
        { deadline: Date.now() + this.timeoutMs },
        (err: ServiceError | null, res?: feature.DescribeFeatureSetResponse__Output) => {
          if (err) {
            if (err.code === status.NOT_FOUND) {
              resolve({ kind: 'unknown-feature-set', message: err.details || err.message });
            } else {
              resolve({
                kind: 'unreachable',
                reason: `${status[err.code] ?? err.code}: ${err.details || err.message}`,
              });
            }
            return;
          }
          const schema = res?.featureSet;
          if (!schema) {
            resolve({ kind: 'unreachable', reason: 'DescribeFeatureSet answered without a feature set' });
            return;
          }
          resolve({
            kind: 'known',
            width: schema.columns.length,
            fingerprint: schema.fingerprint,
            schema: pinnedSchemaOf(schema),
          });
        },
      );
    });
  }

  close(): void {
    this.#client.close();
  }
}
