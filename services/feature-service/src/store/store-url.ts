import path from 'node:path';

/** Where the online store lives, parsed from STORE_URL. */
export type StoreTarget =
  { readonly dialect: 'sqlite'; readonly file: string } | { readonly dialect: 'mysql'; readonly url: string };

export type StoreDialect = StoreTarget['dialect'];

/**
 * Parses `sqlite:PATH` (relative to the working directory) or `mysql://user[:password]@host[:port]/database`.
 * Returns undefined for anything else.
 */
export function parseStoreUrl(raw: string): StoreTarget | undefined {
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
export function describeStoreTarget(target: StoreTarget): string {
  if (target.dialect === 'sqlite') return `sqlite:${target.file}`;
  const url = new URL(target.url);
  if (url.password) url.password = '***';
  return url.toString();
}
