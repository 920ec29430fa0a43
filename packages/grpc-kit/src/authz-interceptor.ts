import * as grpc from '@grpc/grpc-js';
import type { Metadata, ServerInterceptingCallInterface, ServerInterceptor } from '@grpc/grpc-js';
import { Counter } from 'prom-client';
import type { Registry } from 'prom-client';
import type { AuthzPolicy } from './authz-policy';
import type { TokenFile } from './authz-tokens';
import { certificateNames } from './caller-identity';
import type { CallerIdentity } from './caller-identity';
import type { Logger } from './logger';

/** Methods every caller may use, even without an identity: health carries no data and probes need it. */
const EXEMPT_SERVICES = ['grpc.health.v1.Health'];

const callers = new WeakMap<Metadata, CallerIdentity>();

/** The verified caller of a call, as the authorization interceptor found it (undefined: anonymous). */
export function callerOf(metadata: Metadata): CallerIdentity | undefined {
  return callers.get(metadata);
}

export interface AuthorizationOptions {
  /**
   * The policy in force (read on every call, so a reloaded policy applies at once); undefined =
   * every caller may call everything (identities are still resolved for handlers).
   */
  policy: () => AuthzPolicy | undefined;
  /** The tokens in force; undefined = bearer tokens are not accepted. */
  tokens: () => TokenFile | undefined;
  logger: Logger;
  /** Where the refused-calls counter is registered. */
  registry: Registry;
}

type Identified =
  | { kind: 'caller'; names: string[]; via: CallerIdentity['via'] }
  | { kind: 'anonymous' }
  | { kind: 'bad-token' };

function identify(call: ServerInterceptingCallInterface, metadata: Metadata, tokens?: TokenFile): Identified {
  // Only certificates the TLS layer verified count (grpc-js gives none for an unverified peer).
  const certificate = call.getAuthContext().sslPeerCertificate;
  if (certificate !== undefined) {
    const names = certificateNames(certificate);
    if (names.length > 0) return { kind: 'caller', names, via: 'certificate' };
  }
  const header = metadata.get('authorization')[0];
  if (header === undefined) return { kind: 'anonymous' };
  const match = /^Bearer\s+(\S+)\s*$/i.exec(String(header));
  const identity = match === null || tokens === undefined ? undefined : tokens.identify(match[1]!);
  return identity === undefined ? { kind: 'bad-token' } : { kind: 'caller', names: [identity], via: 'token' };
}

/**
 * The server interceptor that identifies and authorizes every call before its handler runs:
 * identity from the verified client certificate (SANs, then CN) or else from a bearer token
 * checked against AUTHZ_TOKENS_FILE's hashes; then the policy. A call without an identity (or with
 * a token that matches no hash) gets UNAUTHENTICATED, a caller the policy does not allow gets
 * PERMISSION_DENIED; both name the method, are counted in tally_authz_refused_total and logged
 * with the identity. The bearer token is removed from the metadata handlers see; the identity is
 * available to them through `callerOf(metadata)` (the CallContext's `caller`).
 */
export function authorizationInterceptor(options: AuthorizationOptions): ServerInterceptor {
  const { logger } = options;
  const refused = new Counter({
    name: 'tally_authz_refused_total',
    help: 'Calls refused by authorization, by method, status code and caller identity (empty: none).',
    labelNames: ['method', 'code', 'identity'],
    registers: [options.registry],
  });

  return (descriptor, call) => {
    const path = descriptor.path;
    const method = path.replace(/^\//, '');
    const exempt = EXEMPT_SERVICES.some((s) => method.startsWith(`${s}/`));
    const refuse = (code: grpc.status, details: string, identity: string) => {
      refused.inc({ method, code: grpc.status[code], identity });
      logger.warn('call refused', {
        method,
        code: grpc.status[code],
        identity: identity === '' ? undefined : identity,
        peer: call.getPeer(),
        reason: details,
      });
      call.sendStatus({ code, details, metadata: new grpc.Metadata() });
    };
    const listener = new grpc.ServerListenerBuilder()
      .withOnReceiveMetadata((metadata, next) => {
        const policy = options.policy();
        const found = identify(call, metadata, options.tokens());
        metadata.remove('authorization');
        let caller: CallerIdentity | undefined;
        let allowed = policy === undefined;
        if (found.kind === 'caller') {
          const decision = policy?.decide(found.names, path);
          allowed ||= decision?.allowed === true;
          caller = { name: decision?.listedAs ?? found.names[0]!, names: found.names, via: found.via };
          callers.set(metadata, caller);
        }
        if (policy === undefined || exempt) {
          next(metadata);
          return;
        }
        if (found.kind === 'bad-token') {
          refuse(grpc.status.UNAUTHENTICATED, `${method}: the bearer token is not valid`, '');
        } else if (caller === undefined) {
          refuse(
            grpc.status.UNAUTHENTICATED,
            `${method}: the caller is not identified (present a client certificate or a bearer token)`,
            '',
          );
        } else if (!allowed) {
          refuse(
            grpc.status.PERMISSION_DENIED,
            `${method}: caller '${caller.name}' is not allowed to call this method`,
            caller.name,
          );
        } else {
          next(metadata);
        }
      })
      .build();
    const responder = new grpc.ResponderBuilder().withStart((next) => next(listener)).build();
    return new grpc.ServerInterceptingCall(call, responder);
  };
}
