import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { repoPath } from './repo-root';

export type Values = Record<string, unknown>;

export interface ChartDependency {
  name: string;
  version: string;
  repository: string;
  condition?: string;
}

export interface ChartMetadata {
  apiVersion: string;
  name: string;
  version: string;
  appVersion?: string;
  type?: string;
  dependencies?: ChartDependency[];
}

/** A values file of a chart: values.yaml itself, or an overlay (ci/*.yaml) merged over it. */
export interface ValuesFile {
  /** Path relative to the repository root. */
  readonly file: string;
  /** The values Helm would see: the chart's values.yaml with this file merged over it. */
  readonly merged: Values;
}

/** A chart read from disk, as text and parsed YAML: nothing here can run `helm`. */
export interface Chart {
  /** Path relative to the repository root, e.g. "helm/feature-service". */
  readonly dir: string;
  readonly metadata: ChartMetadata;
  readonly values: Values;
  readonly schema: object;
  /** Template file name (relative to templates/) → text. */
  readonly templates: ReadonlyMap<string, string>;
  readonly valuesFiles: readonly ValuesFile[];
}

function isPlainObject(value: unknown): value is Values {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Helm's coalescing: maps merge key by key, anything else in `overlay` replaces; null deletes. */
export function mergeValues(base: Values, overlay: Values): Values {
  const out: Values = { ...base };
  for (const [key, value] of Object.entries(overlay)) {
    if (value === null) delete out[key];
    else if (isPlainObject(value) && isPlainObject(out[key])) out[key] = mergeValues(out[key], value);
    else out[key] = value;
  }
  return out;
}

function readYaml<T>(file: string): T {
  return parse(fs.readFileSync(file, 'utf8')) as T;
}

export function loadChart(dir: string): Chart {
  const abs = repoPath(dir);
  const metadata = readYaml<ChartMetadata>(path.join(abs, 'Chart.yaml'));
  const values = readYaml<Values>(path.join(abs, 'values.yaml')) ?? {};
  const schema = JSON.parse(fs.readFileSync(path.join(abs, 'values.schema.json'), 'utf8')) as object;
  const templates = new Map<string, string>();
  for (const name of fs.readdirSync(path.join(abs, 'templates')).sort()) {
    templates.set(name, fs.readFileSync(path.join(abs, 'templates', name), 'utf8'));
  }
  const valuesFiles: ValuesFile[] = [{ file: `${dir}/values.yaml`, merged: values }];
  const ciDir = path.join(abs, 'ci');
  if (fs.existsSync(ciDir)) {
    for (const name of fs
      .readdirSync(ciDir)
      .filter((n) => /\.ya?ml$/.test(n))
      .sort()) {
      const overlay = readYaml<Values>(path.join(ciDir, name)) ?? {};
      valuesFiles.push({ file: `${dir}/ci/${name}`, merged: mergeValues(values, overlay) });
    }
  }
  return { dir, metadata, values, schema, templates, valuesFiles };
}

/** Names given to `define` in any template (helpers). */
export function definedTemplates(chart: Chart): Set<string> {
  const names = new Set<string>();
  for (const text of chart.templates.values()) {
    for (const m of text.matchAll(/\{\{-?\s*define\s+"([^"]+)"/g)) names.add(m[1]);
  }
  return names;
}

/** Every `include "x"` / `template "x"` in the chart's templates, with the file using it. */
export function referencedTemplates(chart: Chart): Array<{ file: string; name: string }> {
  const refs: Array<{ file: string; name: string }> = [];
  for (const [file, text] of chart.templates) {
    for (const m of text.matchAll(/\b(?:include|template)\s+"([^"]+)"/g)) refs.push({ file, name: m[1] });
  }
  return refs;
}

/** Every `.Values.a.b.c` path used by the templates (also `$.Values...`), with the file using it. */
export function valuesPathsUsed(chart: Chart): Array<{ file: string; path: string[] }> {
  const used: Array<{ file: string; path: string[] }> = [];
  for (const [file, text] of chart.templates) {
    for (const m of text.matchAll(/\.Values((?:\.[A-Za-z_][A-Za-z0-9_]*)+)/g)) {
      used.push({ file, path: m[1].slice(1).split('.') });
    }
  }
  return used;
}

/** Whether `values` has a key at `keyPath` (any value, including "" or {}). */
export function hasValuesPath(values: Values, keyPath: readonly string[]): boolean {
  let node: unknown = values;
  for (const key of keyPath) {
    if (!isPlainObject(node) || !(key in node)) return false;
    node = node[key];
  }
  return true;
}

/** Reads a nested value (undefined when any key is missing). */
export function valueAt(values: Values, keyPath: readonly string[]): unknown {
  let node: unknown = values;
  for (const key of keyPath) {
    if (!isPlainObject(node)) return undefined;
    node = node[key];
  }
  return node;
}

/**
 * Environment variable names a template sets explicitly (`- name: FOO` entries, upper-case names), in
 * the order they appear.
 */
export function templateEnvNames(templateText: string): string[] {
  return [...templateText.matchAll(/^\s*-\s+name:\s+([A-Z][A-Z0-9_]*)\s*$/gm)].map((m) => m[1]);
}
