import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** PEM files of one certificate and its private key. */
export interface CertificateFiles {
  cert: string;
  key: string;
}

/** What a leaf certificate says about its holder. */
export interface LeafSubject {
  /** Subject common name. */
  cn: string;
  /** subjectAltName entries, e.g. ['DNS:localhost', 'IP:127.0.0.1', 'URI:spiffe://tally/checkout']. */
  san?: string[];
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

/**
 * A throw-away certificate authority made with the openssl command line, for tests that need real
 * TLS: a self-signed CA (P-256) and leaf certificates it signs, all as PEM files in a temporary
 * folder that `remove()` deletes.
 */
export class TestCertificateAuthority {
  readonly cert: string;
  readonly #key: string;
  #serial = 0;

  private constructor(
    readonly dir: string,
    readonly name: string,
  ) {
    this.cert = path.join(dir, `${name}-ca.crt`);
    this.#key = path.join(dir, `${name}-ca.key`);
  }

  /** Creates a CA named `name` in `dir` (a new temporary folder when omitted). */
  static create(name = 'test', dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-tls-'))) {
    const ca = new TestCertificateAuthority(dir, name);
    openssl(
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        ca.#key,
        '-out',
        ca.cert,
        '-subj',
        `/CN=${name} test CA`,
        '-days',
        '2',
        '-addext',
        'basicConstraints=critical,CA:TRUE',
        '-addext',
        'keyUsage=critical,keyCertSign,cRLSign',
      ],
      dir,
    );
    return ca;
  }

  /**
   * A leaf certificate signed by this CA, usable by servers and clients (serverAuth, clientAuth).
   * Files are named after `fileName` (default: the CN); a second call with the same name replaces them.
   */
  issue(subject: LeafSubject, fileName = subject.cn): CertificateFiles {
    const base = path.join(this.dir, `${fileName.replace(/[^A-Za-z0-9_.-]/g, '_')}-${++this.#serial}`);
    const ext = `${base}.ext`;
    const lines = ['basicConstraints=CA:FALSE', 'extendedKeyUsage=serverAuth,clientAuth'];
    if (subject.san && subject.san.length > 0) lines.push(`subjectAltName=${subject.san.join(',')}`);
    fs.writeFileSync(ext, `${lines.join('\n')}\n`);
    openssl(
      [
        'req',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        `${base}.key`,
        '-out',
        `${base}.csr`,
        '-subj',
        `/CN=${subject.cn}`,
      ],
      this.dir,
    );
    openssl(
      [
        'x509',
        '-req',
        '-in',
        `${base}.csr`,
        '-CA',
        this.cert,
        '-CAkey',
        this.#key,
        '-set_serial',
        String(Date.now() * 1000 + this.#serial),
        '-days',
        '1',
        '-extfile',
        ext,
        '-out',
        `${base}.crt`,
      ],
      this.dir,
    );
    return { cert: `${base}.crt`, key: `${base}.key` };
  }

  /** A server certificate for 127.0.0.1 and localhost. */
  issueServer(cn = 'localhost'): CertificateFiles {
    return this.issue({ cn, san: ['DNS:localhost', 'IP:127.0.0.1'] }, `server-${cn}`);
  }

  /** Deletes the folder and everything in it. */
  remove(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * Copies `from` over `to` the way Kubernetes updates a mounted Secret: the new content appears at
 * once (write to a temporary file, then rename), never half-written.
 */
export function replaceFile(from: string, to: string): void {
  const tmp = `${to}.tmp-${process.pid}`;
  fs.copyFileSync(from, tmp);
  fs.renameSync(tmp, to);
}
