import fs from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import { experimental } from '@grpc/grpc-js';

/** TLS of a client channel. Any field set turns TLS on. */
export interface TlsOptions {
  /** PEM CA bundle that the server's certificate must chain to; default: Node's trusted roots. */
  caFile?: string;
  /** PEM certificate chain presented to the server (mTLS); needs keyFile. */
  certFile?: string;
  /** PEM private key of certFile. */
  keyFile?: string;
  /** The name to verify in the server's certificate when the address does not carry it (e.g. an IP). */
  serverName?: string;
  /**
   * With caFile: how often (ms) the files are re-read, so a rotated client certificate or CA is used
   * by new connections without restarting (default 60000). 0 = read once.
   */
  reloadIntervalMs?: number;
}

export const DEFAULT_TLS_RELOAD_INTERVAL_MS = 60_000;

function readable(file: string, option: string): string {
  try {
    fs.accessSync(file, fs.constants.R_OK);
  } catch {
    throw new TypeError(`tls.${option}: no readable file at '${file}'`);
  }
  return file;
}

/** Whether `tls` asks for TLS at all. */
export function tlsRequested(tls: TlsOptions | undefined): tls is TlsOptions {
  return tls !== undefined && Object.values(tls).some((v) => v !== undefined && v !== '');
}

/**
 * Channel credentials for `tls`. With a CA file they watch the files (grpc-js's
 * FileWatcherCertificateProvider): new connections use whatever the files hold then. Without one,
 * the server is verified against Node's trusted roots and the client certificate is read once.
 */
export function tlsChannelCredentials(tls: TlsOptions): grpc.ChannelCredentials {
  if ((tls.certFile === undefined) !== (tls.keyFile === undefined)) {
    throw new TypeError('tls.certFile and tls.keyFile must be given together');
  }
  const certFile = tls.certFile === undefined ? undefined : readable(tls.certFile, 'certFile');
  const keyFile = tls.keyFile === undefined ? undefined : readable(tls.keyFile, 'keyFile');
  const caFile = tls.caFile === undefined ? undefined : readable(tls.caFile, 'caFile');
  const reloadIntervalMs = tls.reloadIntervalMs ?? DEFAULT_TLS_RELOAD_INTERVAL_MS;
  if (caFile !== undefined && reloadIntervalMs > 0) {
    const provider = new experimental.FileWatcherCertificateProvider({
      caCertificateFile: caFile,
      certificateFile: certFile,
      privateKeyFile: keyFile,
      refreshIntervalMs: reloadIntervalMs,
    });
    return experimental.createCertificateProviderChannelCredentials(
      provider,
      certFile === undefined ? null : provider,
    );
  }
  return grpc.credentials.createSsl(
    caFile === undefined ? null : fs.readFileSync(caFile),
    keyFile === undefined ? null : fs.readFileSync(keyFile),
    certFile === undefined ? null : fs.readFileSync(certFile),
  );
}

/** Channel options `tls` needs (the server name to verify). */
export function tlsChannelOptions(tls: TlsOptions | undefined): grpc.ChannelOptions {
  return tls?.serverName ? { 'grpc.ssl_target_name_override': tls.serverName } : {};
}
