import * as grpc from '@grpc/grpc-js';
import { TallyClientError } from './client-error';
import { channelOptions } from './channel-options';
import { METHOD_POLICIES } from './method-policy';
import { resolveTarget } from './target';
import { tlsChannelCredentials, tlsChannelOptions, tlsRequested } from './tls-options';
import type { TlsOptions } from './tls-options';
import type { Addresses } from './target';

/** Options of a client (all optional). */
export interface ClientOptions<M extends string = string> {
  /** Channel credentials; win over `tls`. Default: plaintext, or TLS when `tls` is given. */
  credentials?: grpc.ChannelCredentials;
  /** TLS (and mTLS with a client certificate) from PEM files. */
  tls?: TlsOptions;
  /**
   * Bearer token sent as `authorization: Bearer …` on every call, for servers that identify callers
   * by token (AUTHZ_TOKENS_FILE). Use it over TLS: on a plaintext channel anyone on the path can read it.
   */
  token?: string;
  /** Default deadline per method name (ms), replacing METHOD_POLICIES' for this client. */
  deadlinesMs?: Partial<Record<M, number>>;
  /** Retry safe methods on UNAVAILABLE (default true). */
  retries?: boolean;
  /** Extra grpc-js channel options; they win over the defaults (keepalive, service config). */
  channelOptions?: grpc.ChannelOptions;
}

/** Options of one call (all optional). */
export interface CallOptions {
  /** Deadline in ms from now; replaces the method's default. */
  deadlineMs?: number;
  /** Absolute deadline; wins over deadlineMs. */
  deadline?: Date | number;
  metadata?: grpc.Metadata | Record<string, string>;
  /** Aborting cancels the call (it rejects with CANCELLED). */
  signal?: AbortSignal;
}

type RawUnary = (
  request: unknown,
  metadata: grpc.Metadata,
  options: grpc.CallOptions,
  callback: (err: grpc.ServiceError | null, response?: unknown) => void,
) => grpc.ClientUnaryCall;

type RawFactory = (
  target: string,
  credentials: grpc.ChannelCredentials,
  options: grpc.ChannelOptions,
) => grpc.Client;

function toMetadata(metadata: CallOptions['metadata']): grpc.Metadata {
  if (metadata instanceof grpc.Metadata) return metadata;
  const out = new grpc.Metadata();
  for (const [key, value] of Object.entries(metadata ?? {})) out.set(key, value);
  return out;
}

/** What every typed Tally client shares: channel setup, deadlines, error normalisation. */
export abstract class ServiceClient<M extends string> {
  /** The grpc-js target the channel connects to. */
  readonly target: string;
  protected readonly raw: grpc.Client;
  readonly #service: string;
  readonly #deadlines: Record<string, number>;
  readonly #authorization: string | undefined;

  protected constructor(
    service: string,
    factory: RawFactory,
    addresses: Addresses,
    options: ClientOptions<M>,
  ) {
    this.#service = service;
    this.target = resolveTarget(addresses);
    const deadlines: Record<string, number> = {};
    for (const [name, policy] of Object.entries(METHOD_POLICIES)) {
      const [svc, method] = name.split('/') as [string, string];
      if (svc === service) deadlines[method] = policy.deadlineMs;
    }
    for (const [method, ms] of Object.entries(options.deadlinesMs ?? {})) {
      if (!(method in deadlines)) throw new TypeError(`deadlinesMs.${method}: ${service} has no such method`);
      if (typeof ms !== 'number' || !(ms > 0))
        throw new TypeError(`deadlinesMs.${method}: must be a positive number`);
      deadlines[method] = ms;
    }
    this.#deadlines = deadlines;
    if (options.token !== undefined && !/^[\x21-\x7e]+$/.test(options.token)) {
      throw new TypeError('token: expected printable ASCII without spaces');
    }
    this.#authorization = options.token === undefined ? undefined : `Bearer ${options.token}`;
    const tls = tlsRequested(options.tls) ? options.tls : undefined;
    this.raw = factory(
      this.target,
      options.credentials ??
        (tls === undefined ? grpc.credentials.createInsecure() : tlsChannelCredentials(tls)),
      channelOptions(options.retries ?? true, { ...tlsChannelOptions(tls), ...options.channelOptions }),
    );
  }

  /** The default deadline (ms) this client applies to `method`. */
  deadlineMs(method: M): number {
    return this.#deadlines[method]!;
  }

  /** Resolves once connected (rejects with UNAVAILABLE after `timeoutMs`). */
  waitForReady(timeoutMs = 5000): Promise<void> {
    return new Promise((resolve, reject) =>
      this.raw.waitForReady(Date.now() + timeoutMs, (err) =>
        err
          ? reject(
              new TallyClientError(grpc.status.UNAVAILABLE, `${this.target}: ${err.message}`, this.#service),
            )
          : resolve(),
      ),
    );
  }

  /** Closes the channel; calls in flight are cancelled. */
  close(): void {
    this.raw.close();
  }

  protected call<Res>(method: M, request: unknown, options: CallOptions = {}): Promise<Res> {
    const path = `/${this.#service}/${method}`;
    const deadline = options.deadline ?? Date.now() + (options.deadlineMs ?? this.#deadlines[method] ?? 5000);
    const fn = (this.raw as unknown as Record<string, RawUnary>)[method];
    if (fn === undefined) return Promise.reject(new TypeError(`${path}: no such method`));
    return new Promise<Res>((resolve, reject) => {
      if (options.signal?.aborted) {
        reject(new TallyClientError(grpc.status.CANCELLED, 'aborted before the call started', path));
        return;
      }
      const onAbort = () => call.cancel();
      let metadata = toMetadata(options.metadata);
      if (this.#authorization !== undefined) {
        metadata = metadata.clone(); // never change the caller's Metadata object
        metadata.set('authorization', this.#authorization);
      }
      const call = fn.call(this.raw, request, metadata, { deadline }, (err, response) => {
        options.signal?.removeEventListener('abort', onAbort);
        if (err) reject(TallyClientError.from(err, path));
        else resolve(response as Res);
      });
      options.signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}
