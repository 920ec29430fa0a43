import type * as grpc from '@grpc/grpc-js';
import { experimental } from '@grpc/grpc-js';
import type { Logger } from './logger';
import { ReloadingCertificateProvider, describeCertificate } from './tls-certificate-provider';

/** TLS of a gRPC server: its certificate, and (mTLS) the CA its clients' certificates must chain to. */
export interface ServerTlsOptions {
  certFile: string;
  keyFile: string;
  /** Set = client certificates are required and verified against this CA bundle (mTLS). */
  clientCaFile?: string;
  /** How often the files are checked for changes (ms). */
  reloadIntervalMs: number;
}

/**
 * Server credentials that re-read the certificate, key and client CA when their files change
 * (cert-manager rotating a Secret), without a restart: grpc-js's certificate-provider credentials
 * call `setSecureContext` on the listening server, so every new connection gets the new
 * certificate while open connections keep theirs.
 */
export function tlsServerCredentials(options: ServerTlsOptions, logger?: Logger): grpc.ServerCredentials {
  const provider = new ReloadingCertificateProvider(
    { certFile: options.certFile, keyFile: options.keyFile, caFile: options.clientCaFile },
    options.reloadIntervalMs,
    logger,
  );
  logger?.info('TLS on', {
    mtls: options.clientCaFile !== undefined,
    cert_file: options.certFile,
    ...(options.clientCaFile === undefined ? {} : { client_ca_file: options.clientCaFile }),
    ...describeCertificate(provider.certificate!),
  });
  // grpc-js 1.14 declares the parameters as (ca, identity, …) but uses the first as the identity
  // provider and the second (nullable) as the CA provider; one provider serves both here.
  const mtls = options.clientCaFile !== undefined;
  return experimental.createCertificateProviderServerCredentials(provider, mtls ? provider : null, mtls);
}
