import fs from 'node:fs';
import { ConfigError, env } from './config';

/**
 * The variables of TLS, mTLS, authorization and the plaintext health port, shared by every Tally
 * server (spread into serverConfigSpec). See docs/security.md.
 */
export const securityConfigSpec = {
  TLS_CERT_FILE: env.file(
    'PEM certificate chain of the gRPC server; with TLS_KEY_FILE it turns TLS on. Re-read when the file changes (no restart).',
  ),
  TLS_KEY_FILE: env.file('PEM private key of TLS_CERT_FILE. Re-read when the file changes.'),
  TLS_CLIENT_CA_FILE: env.file(
    'PEM CA bundle that client certificates must chain to; setting it makes client certificates required (mTLS). Needs TLS_CERT_FILE. Re-read when the file changes.',
  ),
  TLS_RELOAD_INTERVAL_MS: env.integer(
    'How often the TLS files, AUTHZ_POLICY_FILE and AUTHZ_TOKENS_FILE (and the feature-service client certificate files, where used) are checked for changes (ms). New connections use a new certificate; a new policy or tokens file applies to the next call.',
    60000,
    100,
    86400000,
  ),
  AUTHZ_POLICY_FILE: env.file(
    'YAML policy mapping caller identities to the methods they may call (docs/security.md). Empty = every caller may call every method (a warning at start-up). Re-read when it changes; an invalid new version is logged and the previous one stays.',
  ),
  AUTHZ_TOKENS_FILE: env.file(
    'Hashed bearer tokens, one `IDENTITY sha256:HEX` per line (docs/security.md): callers without a client certificate are identified by their token. Re-read when it changes.',
  ),
  HEALTH_PORT: env.port(
    'Port of a plaintext gRPC server that serves only grpc.health.v1 (for Kubernetes probes, which cannot speak TLS).',
    0,
    'disabled',
  ),
};

export interface SecuritySettings {
  TLS_CERT_FILE: string;
  TLS_KEY_FILE: string;
  TLS_CLIENT_CA_FILE: string;
  TLS_RELOAD_INTERVAL_MS: number;
  AUTHZ_POLICY_FILE: string;
  AUTHZ_TOKENS_FILE: string;
  HEALTH_PORT: number;
}

/** Checks what single variables cannot: pairs that go together, files that exist. Throws ConfigError. */
export function checkSecuritySettings(settings: SecuritySettings): void {
  const problems: string[] = [];
  if ((settings.TLS_CERT_FILE === '') !== (settings.TLS_KEY_FILE === '')) {
    problems.push('TLS_CERT_FILE and TLS_KEY_FILE must be set together (both turn TLS on)');
  }
  if (settings.TLS_CLIENT_CA_FILE !== '' && settings.TLS_CERT_FILE === '') {
    problems.push('TLS_CLIENT_CA_FILE (mTLS) needs TLS: set TLS_CERT_FILE and TLS_KEY_FILE too');
  }
  for (const name of [
    'TLS_CERT_FILE',
    'TLS_KEY_FILE',
    'TLS_CLIENT_CA_FILE',
    'AUTHZ_POLICY_FILE',
    'AUTHZ_TOKENS_FILE',
  ] as const) {
    const value = settings[name];
    if (value === '') continue;
    try {
      fs.accessSync(value, fs.constants.R_OK);
    } catch {
      problems.push(`${name}=${JSON.stringify(value)}: no readable file there`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
}
