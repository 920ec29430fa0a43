import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import tls from 'node:tls';
import { experimental } from '@grpc/grpc-js';
import type { Logger } from './logger';

type CaUpdate = experimental.CaCertificateUpdate;
type IdentityUpdate = experimental.IdentityCertificateUpdate;
type CaListener = experimental.CaCertificateUpdateListener;
type IdentityListener = experimental.IdentityCertificateUpdateListener;

/** The PEM files a provider watches. */
export interface CertificateFilePaths {
  certFile?: string;
  keyFile?: string;
  caFile?: string;
}

function sameBuffers(a: Buffer | undefined, b: Buffer | undefined): boolean {
  return a !== undefined && b !== undefined && a.equals(b);
}

/** What a log line says about a certificate chain: its leaf's subject, expiry and fingerprint. */
export function describeCertificate(pem: Buffer): Record<string, string> {
  try {
    const leaf = new X509Certificate(pem);
    return {
      subject: leaf.subject.replace(/\n/g, ', '),
      not_after: new Date(leaf.validTo).toISOString(),
      fingerprint: leaf.fingerprint256,
    };
  } catch (err) {
    return { problem: err instanceof Error ? err.message : String(err) };
  }
}

/**
 * A grpc-js CertificateProvider over PEM files that keeps the last good certificate. It wraps the
 * library's FileWatcherCertificateProvider (which re-reads the files every `refreshIntervalMs`) and
 * forwards only updates that Node can really use (cert and key match, the CA parses): a half-done
 * rotation or a deleted file is logged and the previous certificate keeps serving, instead of the
 * server dropping every new connection until the files are fixed. The files are read once at
 * construction (throwing a message that names the file when they are unusable), so a server has
 * its certificate from its first connection on.
 */
export class ReloadingCertificateProvider implements experimental.CertificateProvider {
  readonly #inner: experimental.FileWatcherCertificateProvider;
  readonly #paths: CertificateFilePaths;
  readonly #logger: Logger | undefined;
  readonly #caListeners = new Set<CaListener>();
  readonly #identityListeners = new Set<IdentityListener>();
  #ca: CaUpdate | undefined;
  #identity: IdentityUpdate | undefined;
  #subscribed = false;

  constructor(paths: CertificateFilePaths, refreshIntervalMs: number, logger?: Logger) {
    this.#paths = paths;
    this.#logger = logger;
    if (paths.certFile !== undefined && paths.keyFile !== undefined) {
      const update = {
        certificate: fs.readFileSync(paths.certFile),
        privateKey: fs.readFileSync(paths.keyFile),
      };
      const problem = this.#identityProblem(update);
      if (problem !== undefined) throw new Error(`${paths.certFile} / ${paths.keyFile}: ${problem}`);
      this.#identity = update;
    }
    if (paths.caFile !== undefined) {
      const update = { caCertificate: fs.readFileSync(paths.caFile) };
      const problem = this.#caProblem(update);
      if (problem !== undefined) throw new Error(`${paths.caFile}: ${problem}`);
      this.#ca = update;
    }
    this.#inner = new experimental.FileWatcherCertificateProvider({
      certificateFile: paths.certFile,
      privateKeyFile: paths.keyFile,
      caCertificateFile: paths.caFile,
      refreshIntervalMs,
    });
  }

  /** The certificate chain served now (undefined without one). */
  get certificate(): Buffer | undefined {
    return this.#identity?.certificate;
  }

  #identityProblem(update: IdentityUpdate): string | undefined {
    try {
      tls.createSecureContext({ cert: update.certificate, key: update.privateKey });
      return undefined;
    } catch (err) {
      return `not a usable certificate and key: ${err instanceof Error ? err.message : String(err)}`;
    }
  }

  #caProblem(update: CaUpdate): string | undefined {
    try {
      new X509Certificate(update.caCertificate);
      tls.createSecureContext({ ca: update.caCertificate });
      return undefined;
    } catch (err) {
      return `not a usable PEM CA bundle: ${err instanceof Error ? err.message : String(err)}`;
    }
  }

  readonly #onIdentity = (update: IdentityUpdate | null) => {
    if (update === null) {
      this.#logger?.error('TLS certificate files unreadable, keeping the previous certificate', {
        cert_file: this.#paths.certFile,
        key_file: this.#paths.keyFile,
      });
      return;
    }
    if (
      sameBuffers(update.certificate, this.#identity?.certificate) &&
      sameBuffers(update.privateKey, this.#identity?.privateKey)
    )
      return;
    const problem = this.#identityProblem(update);
    if (problem !== undefined) {
      this.#logger?.error('new TLS certificate refused, keeping the previous one', {
        cert_file: this.#paths.certFile,
        problem,
      });
      return;
    }
    this.#identity = update;
    this.#logger?.info('TLS certificate reloaded', {
      cert_file: this.#paths.certFile,
      ...describeCertificate(update.certificate),
    });
    for (const listener of this.#identityListeners) listener(update);
  };

  readonly #onCa = (update: CaUpdate | null) => {
    if (update === null) {
      this.#logger?.error('TLS CA file unreadable, keeping the previous CA bundle', {
        ca_file: this.#paths.caFile,
      });
      return;
    }
    if (sameBuffers(update.caCertificate, this.#ca?.caCertificate)) return;
    const problem = this.#caProblem(update);
    if (problem !== undefined) {
      this.#logger?.error('new TLS CA bundle refused, keeping the previous one', {
        ca_file: this.#paths.caFile,
        problem,
      });
      return;
    }
    this.#ca = update;
    this.#logger?.info('TLS CA bundle reloaded', { ca_file: this.#paths.caFile });
    for (const listener of this.#caListeners) listener(update);
  };

  #resubscribe(): void {
    const wanted = this.#caListeners.size + this.#identityListeners.size > 0;
    if (wanted === this.#subscribed) return;
    this.#subscribed = wanted;
    const hasIdentity = this.#paths.certFile !== undefined;
    const hasCa = this.#paths.caFile !== undefined;
    if (wanted) {
      if (hasIdentity) this.#inner.addIdentityCertificateListener(this.#onIdentity);
      if (hasCa) this.#inner.addCaCertificateListener(this.#onCa);
    } else {
      if (hasIdentity) this.#inner.removeIdentityCertificateListener(this.#onIdentity);
      if (hasCa) this.#inner.removeCaCertificateListener(this.#onCa);
    }
  }

  addCaCertificateListener(listener: CaListener): void {
    this.#caListeners.add(listener);
    this.#resubscribe();
    const latest = this.#ca;
    if (latest !== undefined) process.nextTick(listener, latest);
  }

  removeCaCertificateListener(listener: CaListener): void {
    this.#caListeners.delete(listener);
    this.#resubscribe();
  }

  addIdentityCertificateListener(listener: IdentityListener): void {
    this.#identityListeners.add(listener);
    this.#resubscribe();
    const latest = this.#identity;
    if (latest !== undefined) process.nextTick(listener, latest);
  }

  removeIdentityCertificateListener(listener: IdentityListener): void {
    this.#identityListeners.delete(listener);
    this.#resubscribe();
  }
}
