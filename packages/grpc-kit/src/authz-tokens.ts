import { createHash } from 'node:crypto';
import fs from 'node:fs';

const LINE = /^(\S+)\s+sha256:([0-9a-f]{64})$/;

/** The SHA-256 of a bearer token, as the tokens file stores it (lower-case hex). */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * The hashed bearer tokens of AUTHZ_TOKENS_FILE: one `IDENTITY sha256:HEX` per line, `#` comments
 * and blank lines ignored (docs/security.md). Tokens are random machine secrets (≥ 128 bits), so a
 * plain SHA-256 cannot be searched backwards and costs a microsecond per call; the file holds no
 * secret an attacker could replay.
 */
export class TokenFile {
  readonly #identities: ReadonlyMap<string, string>;

  private constructor(
    readonly path: string,
    identities: Map<string, string>,
  ) {
    this.#identities = identities;
  }

  /** Reads and validates the file; a bad line throws an error naming the file and line. */
  static load(file: string): TokenFile {
    return TokenFile.parse(fs.readFileSync(file, 'utf8'), file);
  }

  static parse(text: string, file = '(tokens)'): TokenFile {
    const identities = new Map<string, string>();
    text.split('\n').forEach((raw, index) => {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) return;
      const match = LINE.exec(line);
      if (match === null) {
        throw new Error(
          `${file}:${index + 1}: expected "IDENTITY sha256:HEX" (64 lower-case hex digits), got ${JSON.stringify(line.slice(0, 80))}`,
        );
      }
      const [, identity, hash] = match as unknown as [string, string, string];
      const other = identities.get(hash);
      if (other !== undefined) {
        throw new Error(`${file}:${index + 1}: this token hash is already listed for '${other}'`);
      }
      identities.set(hash, identity);
    });
    return new TokenFile(file, identities);
  }

  get size(): number {
    return this.#identities.size;
  }

  /** The identity a presented token belongs to, or undefined. */
  identify(token: string): string | undefined {
    return this.#identities.get(hashToken(token));
  }
}
