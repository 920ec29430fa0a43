import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

/** Absolute path of `binary` on PATH, or undefined. */
export function findOnPath(binary: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, binary);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

export interface CommandResult {
  status: number | null;
  output: string;
}

/** Runs a command and captures stdout+stderr (never throws on a non-zero exit). */
export function run(command: string, args: string[], cwd?: string): CommandResult {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 120000 });
  return { status: result.status, output: `${result.stdout ?? ''}${result.stderr ?? ''}` };
}

/** A Kubernetes object as rendered by `helm template`. */
export interface RenderedObject {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; labels?: Record<string, string> };
  spec?: Record<string, unknown>;
}

export function renderChart(
  helm: string,
  chartDir: string,
  valuesFile: string | undefined,
  release = 'tally',
): RenderedObject[] {
  const args = ['template', release, chartDir, '--namespace', 'tally'];
  if (valuesFile) args.push('--values', valuesFile);
  const text = execFileSync(helm, args, { encoding: 'utf8', timeout: 120000 });
  return parseAllDocuments(text)
    .map((d) => d.toJS() as RenderedObject | null)
    .filter((o): o is RenderedObject => o !== null);
}

/**
 * Structural checks every rendered object must pass even without Kubernetes' own schemas (which
 * cannot be downloaded here): apiVersion, kind, a DNS-1123 name, recommended labels.
 */
export function renderedObjectProblems(object: RenderedObject): string[] {
  const id = `${object.kind ?? '?'}/${object.metadata?.name ?? '?'}`;
  const problems: string[] = [];
  if (!object.apiVersion) problems.push(`${id}: no apiVersion`);
  if (!object.kind) problems.push(`${id}: no kind`);
  const name = object.metadata?.name ?? '';
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name) || name.length > 63) problems.push(`${id}: invalid name`);
  for (const label of ['app.kubernetes.io/name', 'app.kubernetes.io/instance', 'helm.sh/chart']) {
    if (!object.metadata?.labels?.[label]) problems.push(`${id}: no ${label} label`);
  }
  return problems;
}
