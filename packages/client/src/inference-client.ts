import { SERVICE_NAMES, createInferenceServiceClient } from '@tally/contracts';
import type { inference } from '@tally/contracts';
import { ServiceClient } from './service-client';
import type { CallOptions, ClientOptions } from './service-client';
import type { Addresses } from './target';

export type InferenceMethod =
  'ServerLive' | 'ServerReady' | 'ModelReady' | 'ServerMetadata' | 'ModelMetadata' | 'ModelInfer';

/** Promise-based client of the model-server's Open Inference Protocol v2 (inference.GRPCInferenceService). */
export class InferenceClient extends ServiceClient<InferenceMethod> {
  constructor(addresses: Addresses, options: ClientOptions<InferenceMethod> = {}) {
    super(SERVICE_NAMES.inference, createInferenceServiceClient, addresses, options);
  }

  serverLive(options?: CallOptions): Promise<inference.ServerLiveResponse__Output> {
    return this.call('ServerLive', {}, options);
  }

  serverReady(options?: CallOptions): Promise<inference.ServerReadyResponse__Output> {
    return this.call('ServerReady', {}, options);
  }

  modelReady(
    name: string,
    version = '',
    options?: CallOptions,
  ): Promise<inference.ModelReadyResponse__Output> {
    return this.call('ModelReady', { name, version }, options);
  }

  serverMetadata(options?: CallOptions): Promise<inference.ServerMetadataResponse__Output> {
    return this.call('ServerMetadata', {}, options);
  }

  modelMetadata(
    name: string,
    version = '',
    options?: CallOptions,
  ): Promise<inference.ModelMetadataResponse__Output> {
    return this.call('ModelMetadata', { name, version }, options);
  }

  modelInfer(
    request: inference.ModelInferRequest,
    options?: CallOptions,
  ): Promise<inference.ModelInferResponse__Output> {
    return this.call('ModelInfer', request, options);
  }
}
