import fs from 'node:fs';
import { ConfigError } from '@tally/grpc-kit';
import type { SslOptions } from 'mysql2';

/** The configuration of TLS between the feature-service and MySQL. */
export interface StoreTlsConfig {
  STORE_TLS: boolean;
  STORE_TLS_CA_FILE: string;
  STORE_TLS_CERT_FILE: string;
  STORE_TLS_KEY_FILE: string;
}

/**
 * mysql2's `ssl` options from the configuration, or undefined when TLS to MySQL is off. With TLS on
 * the server's certificate is always verified (against STORE_TLS_CA_FILE, else Node's trusted roots)
 * and a server that does not offer TLS is refused, never silently used in plaintext. The files are
 * read once: pooled connections are long-lived, a rotated client certificate needs a restart.
 * Throws ConfigError naming the variables when they do not go together or cannot be read.
 */
export function storeTlsOptions(config: StoreTlsConfig): SslOptions | undefined {
  const { STORE_TLS_CA_FILE: ca, STORE_TLS_CERT_FILE: cert, STORE_TLS_KEY_FILE: key } = config;
  if (!config.STORE_TLS && ca === '' && cert === '') {
    if (key !== '') throw new ConfigError(['STORE_TLS_KEY_FILE needs STORE_TLS_CERT_FILE']);
    return undefined;
  }
  const problems: string[] = [];
  if ((cert === '') !== (key === '')) {
    problems.push('STORE_TLS_CERT_FILE and STORE_TLS_KEY_FILE must be set together');
  }
  const read = (name: string, file: string): Buffer | undefined => {
    if (file === '') return undefined;
    try {
      return fs.readFileSync(file);
    } catch {
      problems.push(`${name}=${JSON.stringify(file)}: no readable file there`);
      return undefined;
    }
  };
  const ssl: SslOptions = {
    rejectUnauthorized: true,
    ...(ca === '' ? {} : { ca: read('STORE_TLS_CA_FILE', ca) }),
    ...(cert === '' ? {} : { cert: read('STORE_TLS_CERT_FILE', cert), key: read('STORE_TLS_KEY_FILE', key) }),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return ssl;
}
