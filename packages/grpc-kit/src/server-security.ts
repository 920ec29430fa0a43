import * as grpc from '@grpc/grpc-js';
import { packageDefinition } from '@tally/contracts';
import { authorizationInterceptor } from './authz-interceptor';
import { AuthzPolicy } from './authz-policy';
import type { KnownMethods } from './authz-policy';
import { TokenFile } from './authz-tokens';
import { ConfigError } from './config';
import type { Logger } from './logger';
import type { ServiceMetrics } from './metrics';
import { checkSecuritySettings } from './security-config';
import type { SecuritySettings } from './security-config';
import { tlsServerCredentials } from './tls-server-credentials';
import { WatchedFile } from './watched-file';

/** What a TallyServer needs to be secure: its credentials, interceptors and plaintext health port. */
export interface ServerSecurity {
  credentials: grpc.ServerCredentials;
  interceptors: grpc.ServerInterceptor[];
  /** 0 = no separate health port. */
  healthPort: number;
  /** Stops watching the policy and tokens files. */
  close(): void;
}

/** Every method an authorization policy may name: Tally's contracts, health and reflection. */
export function knownMethods(): KnownMethods {
  const known = new Map<string, Set<string>>();
  const definitions = packageDefinition();
  for (const [name, definition] of Object.entries(definitions)) {
    if ('format' in definition) continue; // a message or enum, not a service
    known.set(name, new Set(Object.values(definition).map((m) => m.path.slice(m.path.lastIndexOf('/') + 1))));
  }
  known.set('grpc.health.v1.Health', new Set(['Check', 'Watch']));
  for (const version of ['v1', 'v1alpha']) {
    known.set(`grpc.reflection.${version}.ServerReflection`, new Set(['ServerReflectionInfo']));
  }
  return known;
}

/**
 * Builds TLS credentials and the authorization interceptor from the security settings, and says
 * at start-up what is (not) protected. Bad combinations and unreadable files throw ConfigError;
 * an invalid certificate, policy or tokens file throws an Error naming the file and field.
 */
export function serverSecurity(
  settings: SecuritySettings,
  kit: { logger: Logger; metrics: ServiceMetrics },
): ServerSecurity {
  checkSecuritySettings(settings);
  const { logger } = kit;
  const tls = settings.TLS_CERT_FILE !== '';
  const mtls = settings.TLS_CLIENT_CA_FILE !== '';
  // Both files are re-read when they change (a rotated Secret), like the certificates.
  const interval = settings.TLS_RELOAD_INTERVAL_MS;
  const tokensFile =
    settings.AUTHZ_TOKENS_FILE === ''
      ? undefined
      : new WatchedFile(
          settings.AUTHZ_TOKENS_FILE,
          'tokens file',
          (f) => TokenFile.load(f),
          interval,
          logger,
        );
  const known = knownMethods();
  const policyFile =
    settings.AUTHZ_POLICY_FILE === ''
      ? undefined
      : new WatchedFile(
          settings.AUTHZ_POLICY_FILE,
          'authorization policy',
          (f) => AuthzPolicy.load(f, known),
          interval,
          logger,
        );
  const tokens = tokensFile?.value;
  const policy = policyFile?.value;
  const close = () => {
    policyFile?.close();
    tokensFile?.close();
  };
  if (policy !== undefined && !mtls && tokens === undefined) {
    close();
    throw new ConfigError([
      'AUTHZ_POLICY_FILE needs a way to identify callers: TLS_CLIENT_CA_FILE (client certificates) or AUTHZ_TOKENS_FILE (bearer tokens)',
    ]);
  }
  const credentials = tls
    ? tlsServerCredentials(
        {
          certFile: settings.TLS_CERT_FILE,
          keyFile: settings.TLS_KEY_FILE,
          ...(mtls ? { clientCaFile: settings.TLS_CLIENT_CA_FILE } : {}),
          reloadIntervalMs: settings.TLS_RELOAD_INTERVAL_MS,
        },
        logger,
      )
    : grpc.ServerCredentials.createInsecure();
  if (!tls) logger.info('TLS off: the gRPC port is plaintext (TLS_CERT_FILE and TLS_KEY_FILE turn it on)');
  if (tokens !== undefined && !tls) {
    logger.warn('bearer tokens travel in plaintext: turn TLS on', { tokens_file: tokens.path });
  }
  if (policy === undefined) {
    logger.warn('no authorization policy (AUTHZ_POLICY_FILE): every caller may call every method');
  } else {
    logger.info('authorization policy loaded', {
      policy_file: policy.path,
      callers: policy.callers,
      identified_by: [...(mtls ? ['certificate'] : []), ...(tokens === undefined ? [] : ['token'])],
      tokens: tokens?.size ?? 0,
    });
  }
  const identifies = mtls || tokens !== undefined;
  return {
    credentials,
    interceptors: identifies
      ? [
          authorizationInterceptor({
            policy: () => policyFile?.value,
            tokens: () => tokensFile?.value,
            logger,
            registry: kit.metrics.registry,
          }),
        ]
      : [],
    healthPort: settings.HEALTH_PORT,
    close,
  };
}
