import fs from 'node:fs';
import type { ClientOptions, FeatureMethod, TlsOptions } from '@tally/client';
import { ConfigError } from '@tally/grpc-kit';

/** The configuration the model-server's feature-service client reads. */
export interface FeatureServiceConnectionConfig {
  FEATURE_SERVICE_TLS: boolean;
  FEATURE_SERVICE_TLS_CA_FILE: string;
  FEATURE_SERVICE_TLS_CERT_FILE: string;
  FEATURE_SERVICE_TLS_KEY_FILE: string;
  FEATURE_SERVICE_TLS_SERVER_NAME: string;
  FEATURE_SERVICE_TOKEN_FILE: string;
  TLS_RELOAD_INTERVAL_MS: number;
}

/**
 * TLS and token of the model-server's client to the feature-service, from its configuration.
 * Throws ConfigError (exit 2) naming the variables when they do not go together or a file cannot be read.
 */
export function featureServiceConnection(
  config: FeatureServiceConnectionConfig,
): Pick<ClientOptions<FeatureMethod>, 'tls' | 'token'> {
  const problems: string[] = [];
  const { FEATURE_SERVICE_TLS_CERT_FILE: certFile, FEATURE_SERVICE_TLS_KEY_FILE: keyFile } = config;
  if ((certFile === '') !== (keyFile === '')) {
    problems.push('FEATURE_SERVICE_TLS_CERT_FILE and FEATURE_SERVICE_TLS_KEY_FILE must be set together');
  }
  const files = {
    FEATURE_SERVICE_TLS_CA_FILE: config.FEATURE_SERVICE_TLS_CA_FILE,
    FEATURE_SERVICE_TLS_CERT_FILE: certFile,
    FEATURE_SERVICE_TLS_KEY_FILE: keyFile,
    FEATURE_SERVICE_TOKEN_FILE: config.FEATURE_SERVICE_TOKEN_FILE,
  };
  for (const [name, file] of Object.entries(files)) {
    if (file === '') continue;
    try {
      fs.accessSync(file, fs.constants.R_OK);
    } catch {
      problems.push(`${name}=${JSON.stringify(file)}: no readable file there`);
    }
  }
  let token: string | undefined;
  if (config.FEATURE_SERVICE_TOKEN_FILE !== '' && problems.length === 0) {
    token = fs.readFileSync(config.FEATURE_SERVICE_TOKEN_FILE, 'utf8').trim();
    if (!/^[\x21-\x7e]+$/.test(token)) {
      problems.push('FEATURE_SERVICE_TOKEN_FILE: expected one token of printable ASCII without spaces');
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  const tlsOn =
    config.FEATURE_SERVICE_TLS ||
    config.FEATURE_SERVICE_TLS_CA_FILE !== '' ||
    certFile !== '' ||
    config.FEATURE_SERVICE_TLS_SERVER_NAME !== '';
  const tls: TlsOptions | undefined = tlsOn
    ? {
        ...(config.FEATURE_SERVICE_TLS_CA_FILE === '' ? {} : { caFile: config.FEATURE_SERVICE_TLS_CA_FILE }),
        ...(certFile === '' ? {} : { certFile, keyFile }),
        ...(config.FEATURE_SERVICE_TLS_SERVER_NAME === ''
          ? {}
          : { serverName: config.FEATURE_SERVICE_TLS_SERVER_NAME }),
        reloadIntervalMs: config.TLS_RELOAD_INTERVAL_MS,
      }
    : undefined;
  return { ...(tls === undefined ? {} : { tls }), ...(token === undefined ? {} : { token }) };
}
