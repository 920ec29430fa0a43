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
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
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
