import path from 'node:path';

/** A database a service stores in, parsed from a URL variable (STORE_URL, DECISION_DATABASE_URL). */
export type DatabaseTarget =
  { readonly dialect: 'sqlite'; readonly file: string } | { readonly dialect: 'mysql'; readonly url: string };

/**
 * Parses `sqlite:PATH` (relative to the working directory) or `mysql://user[:password]@host[:port]/database`.
 * Returns undefined for anything else.
 */
export function parseDatabaseUrl(raw: string): DatabaseTarget | undefined {
  if (raw.startsWith('sqlite:')) {
    const file = raw.slice('sqlite:'.length);
    return file.length === 0 ? undefined : { dialect: 'sqlite', file: path.resolve(file) };
  }
  if (raw.startsWith('mysql://')) {
    try {
      const url = new URL(raw);
      return url.hostname && url.pathname.length > 1 ? { dialect: 'mysql', url: raw } : undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** The target without its password, for logs. */
export function describeDatabaseTarget(target: DatabaseTarget): string {
  if (target.dialect === 'sqlite') return `sqlite:${target.file}`;
  const url = new URL(target.url);
  if (url.password) url.password = '***';
  return url.toString();
}
