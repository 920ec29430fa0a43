import { SERVICE_NAMES, createFeatureServiceClient } from '@tally/contracts';
import type { feature } from '@tally/contracts';
import { ServiceClient } from './service-client';
import type { CallOptions, ClientOptions } from './service-client';
import type { Addresses } from './target';

export type FeatureMethod =
  'GetFeatureVectors' | 'WriteFeatureRows' | 'WriteEvents' | 'ListFeatureSets' | 'DescribeFeatureSet';

/** Promise-based client of the feature-service (tally.feature.v1.FeatureService). */
export class FeatureClient extends ServiceClient<FeatureMethod> {
  constructor(addresses: Addresses, options: ClientOptions<FeatureMethod> = {}) {
    super(SERVICE_NAMES.feature, createFeatureServiceClient, addresses, options);
  }

  getFeatureVectors(
    request: feature.GetFeatureVectorsRequest,
    options?: CallOptions,
  ): Promise<feature.GetFeatureVectorsResponse__Output> {
    return this.call('GetFeatureVectors', request, options);
  }

  writeFeatureRows(
    request: feature.WriteFeatureRowsRequest,
    options?: CallOptions,
  ): Promise<feature.WriteFeatureRowsResponse__Output> {
    return this.call('WriteFeatureRows', request, options);
  }

  /** Appends events of one event source; idempotent by event id, so retried. */
  writeEvents(
    request: feature.WriteEventsRequest,
    options?: CallOptions,
  ): Promise<feature.WriteEventsResponse__Output> {
    return this.call('WriteEvents', request, options);
  }

  listFeatureSets(options?: CallOptions): Promise<feature.ListFeatureSetsResponse__Output> {
    return this.call('ListFeatureSets', {}, options);
  }

  describeFeatureSet(
    name: string,
    options?: CallOptions,
  ): Promise<feature.DescribeFeatureSetResponse__Output> {
    return this.call('DescribeFeatureSet', { name }, options);
  }
}
