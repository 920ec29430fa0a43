import fs from 'node:fs';
import type { ClientOptions, TlsOptions } from '@tally/client';
import { UsageError } from './usage-error';

/** The flags every command that calls a service takes, for parseArgs. */
export const CONNECTION_FLAGS = {
  tls: { type: 'boolean', default: false },
  'tls-ca': { type: 'string' },
  'tls-cert': { type: 'string' },
  'tls-key': { type: 'string' },
  'tls-server-name': { type: 'string' },
  'token-file': { type: 'string' },
} as const;

/** Their usage lines. */
export const CONNECTION_USAGE = `connection (docs/security.md):
  --tls              use TLS, verifying the server against the system's trusted CAs
  --tls-ca FILE      use TLS, verifying the server against this PEM CA bundle
  --tls-cert FILE    present this PEM client certificate (mTLS); needs --tls-key
  --tls-key FILE     the client certificate's PEM private key
  --tls-server-name  the name to verify in the server's certificate (default: the address's host)
  --token-file FILE  send the bearer token in FILE (or set TALLY_TOKEN) to a server that identifies
                     callers by token`;

export interface ConnectionValues {
  tls?: boolean;
  'tls-ca'?: string;
  'tls-cert'?: string;
  'tls-key'?: string;
  'tls-server-name'?: string;
  'token-file'?: string;
}

function readableFile(flag: string, file: string): string {
  try {
    fs.accessSync(file, fs.constants.R_OK);
  } catch {
    throw new UsageError(`--${flag}: cannot read ${file}`);
  }
  return file;
}

/** Client TLS and token from the flags (and TALLY_TOKEN); bad combinations are usage errors. */
export function connectionOptions(
  values: ConnectionValues,
  env: NodeJS.ProcessEnv = process.env,
): Pick<ClientOptions, 'tls' | 'token'> {
  if ((values['tls-cert'] === undefined) !== (values['tls-key'] === undefined)) {
    throw new UsageError('give --tls-cert and --tls-key together');
  }
  const tlsOn =
    values.tls === true ||
    values['tls-ca'] !== undefined ||
    values['tls-cert'] !== undefined ||
    values['tls-server-name'] !== undefined;
  const tls: TlsOptions | undefined = tlsOn
    ? {
        // a command runs for seconds: read the files once
        reloadIntervalMs: 0,
        ...(values['tls-ca'] === undefined ? {} : { caFile: readableFile('tls-ca', values['tls-ca']) }),
        ...(values['tls-cert'] === undefined
          ? {}
          : {
              certFile: readableFile('tls-cert', values['tls-cert']),
              keyFile: readableFile('tls-key', values['tls-key']!),
            }),
        ...(values['tls-server-name'] === undefined ? {} : { serverName: values['tls-server-name'] }),
      }
    : undefined;
  let token: string | undefined;
  if (values['token-file'] !== undefined) {
    token = fs.readFileSync(readableFile('token-file', values['token-file']), 'utf8').trim();
  } else if (env.TALLY_TOKEN) {
    token = env.TALLY_TOKEN.trim();
  }
  if (token !== undefined && !/^[\x21-\x7e]+$/.test(token)) {
    throw new UsageError('the bearer token must be one word of printable ASCII');
  }
  return { ...(tls === undefined ? {} : { tls }), ...(token === undefined ? {} : { token }) };
}
