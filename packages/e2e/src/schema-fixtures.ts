import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '@tally/testkit';
import { DEMO_MODELS } from './tally-stack';

/** The shipped feature registry (features/credit.yaml) as text. */
export function creditRegistryText(): string {
  return fs.readFileSync(path.join(repoRoot(), 'features/credit.yaml'), 'utf8');
}

/**
 * Writes a variant of the shipped registry into `dir/<name>/credit.yaml` and returns the folder (a
 * REGISTRY_PATH). `edit` rewrites the YAML text and must change it.
 */
export function variantRegistry(dir: string, name: string, edit: (yaml: string) => string): string {
  const original = creditRegistryText();
  const changed = edit(original);
  if (changed === original) throw new Error(`registry variant '${name}' changes nothing`);
  const folder = path.join(dir, 'registries', name);
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(path.join(folder, 'credit.yaml'), changed);
  return folder;
}

/** `text` with `from` replaced by `to` exactly once (throws when `from` is absent). */
export function replaceOnce(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`the registry has no ${JSON.stringify(from)}`);
  return text.replace(from, to);
}

export interface DemoModelCopy {
  /** Model name in the copy. */
  name: string;
  /** Versions to copy (every file of each: model.onnx, schema.json, the explanation file). */
  versions: number[];
  /** Rewrites the demo config.yaml text (e.g. another decision policy). */
  config?: (yaml: string) => string;
}

/**
 * A model repository in `dir/models` holding copies of the demo credit_risk versions (model.onnx,
 * schema.json and the explanation file) under the given names, each with `version_policy: all`. Returns the repository path.
 */
export function demoModelRepository(dir: string, models: DemoModelCopy[]): string {
  const repository = path.join(dir, 'models');
  const source = path.join(DEMO_MODELS, 'credit_risk');
  const config = fs.readFileSync(path.join(source, 'config.yaml'), 'utf8');
  for (const model of models) {
    const target = path.join(repository, model.name);
    for (const version of model.versions) {
      fs.mkdirSync(path.join(target, String(version)), { recursive: true });
      // Every file of the version: the model, its pinned schema and its explanation file (xgboost.json
      // or baseline.json), which the demo config's reason map requires.
      fs.cpSync(path.join(source, String(version)), path.join(target, String(version)), { recursive: true });
    }
    const all = config.replace(/version_policy:.*\n {2}latest: \d+\n/, 'version_policy: all\n');
    if (all === config) throw new Error('the demo config.yaml has no version_policy {latest: N}');
    fs.writeFileSync(path.join(target, 'config.yaml'), model.config ? model.config(all) : all);
  }
  return repository;
}

/** Polls `probe` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 30000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > until) {
      throw new Error(`${what}: not within ${timeoutMs} ms${last ? ` (last error: ${String(last)})` : ''}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}
