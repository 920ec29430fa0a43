import fs from 'node:fs';
import { parse } from 'yaml';
import { repoPath } from './repo-root';

/** The parts of a compose service the checks read. */
export interface ComposeService {
  image?: string;
  build?: { context?: string; dockerfile?: string; target?: string } | string;
  command?: string[] | string;
  environment?: Record<string, string | number | boolean | null> | string[];
  ports?: Array<string | { target: number; published?: number | string }>;
  depends_on?: Record<string, { condition?: string }> | string[];
  healthcheck?: { test?: string[] | string; start_period?: string; retries?: number };
  restart?: string;
  secrets?: Array<string | { source: string; target?: string }>;
  configs?: Array<string | { source: string; target?: string }>;
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
  secrets?: Record<string, { file?: string }>;
  configs?: Record<string, { file?: string }>;
}

export function loadComposeFile(file = repoPath('docker-compose.yml')): ComposeFile {
  return parse(fs.readFileSync(file, 'utf8')) as ComposeFile;
}

/** A service's environment as a map, from either the map or the `KEY=value` list form. */
export function environmentOf(service: ComposeService): Map<string, string> {
  const env = new Map<string, string>();
  if (Array.isArray(service.environment)) {
    for (const entry of service.environment) {
      const at = entry.indexOf('=');
      env.set(at < 0 ? entry : entry.slice(0, at), at < 0 ? '' : entry.slice(at + 1));
    }
  } else {
    for (const [k, v] of Object.entries(service.environment ?? {})) env.set(k, v === null ? '' : String(v));
  }
  return env;
}

/** Container ports a service publishes (`"host:container"`, `"container"` or the long form). */
export function containerPortsOf(service: ComposeService): number[] {
  return (service.ports ?? []).map((p) => {
    if (typeof p === 'object') return p.target;
    const container = p.split(':').at(-1)!.split('/')[0];
    return Number(container);
  });
}

/** depends_on as service → condition (the short list form means service_started). */
export function dependenciesOf(service: ComposeService): Map<string, string> {
  const deps = new Map<string, string>();
  if (Array.isArray(service.depends_on)) {
    for (const name of service.depends_on) deps.set(name, 'service_started');
  } else {
    for (const [name, d] of Object.entries(service.depends_on ?? {})) {
      deps.set(name, d.condition ?? 'service_started');
    }
  }
  return deps;
}

/**
 * Where each file a service mounts from `secrets:` and `configs:` lives in the container, mapped to
 * the repository file it comes from (compose mounts secrets at /run/secrets/<name>, configs at
 * /<name>, unless a target is given).
 */
export function mountedFilesOf(compose: ComposeFile, service: ComposeService): Map<string, string> {
  const files = new Map<string, string>();
  const add = (kind: 'secrets' | 'configs', entries: ComposeService['secrets'], defaultDir: string): void => {
    for (const entry of entries ?? []) {
      const source = typeof entry === 'string' ? entry : entry.source;
      const target = typeof entry === 'string' ? undefined : entry.target;
      const file = compose[kind]?.[source]?.file;
      if (file === undefined) throw new Error(`docker-compose.yml: ${kind}.${source} has no file`);
      const inContainer = target?.startsWith('/') ? target : `${defaultDir}/${target ?? source}`;
      files.set(inContainer, repoPath(file));
    }
  };
  add('secrets', service.secrets, '/run/secrets');
  add('configs', service.configs, '');
  return files;
}
