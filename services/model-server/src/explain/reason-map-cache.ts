import path from 'node:path';
import { CONFIG_FILE_NAME } from '../repository/model-config';
import type { ModelConfig } from '../repository/model-config';
import { compileReasonMap } from './reason-map';
import type { ReasonMap } from './reason-map';

/**
 * A version's reason map compiled for the columns its feature set has. Compiled at load when the
 * feature-service told the columns, otherwise on the first explained Score (the fingerprint check keeps
 * the columns from changing under a loaded version, so one entry is the norm).
 */
export class ReasonMapCache {
  readonly file: string;
  readonly #config: ModelConfig;
  #last: ReasonMap | undefined;

  constructor(config: ModelConfig, modelFile: string) {
    this.#config = config;
    this.file = path.join(path.dirname(path.dirname(modelFile)), CONFIG_FILE_NAME);
  }

  /** The map for `columns`; throws ExplanationFileError naming the config file and field. */
  get(columns: readonly string[]): ReasonMap {
    const last = this.#last;
    if (last !== undefined && sameColumns(last.columns, columns)) return last;
    const compiled = compileReasonMap(this.#config.reasons!, columns, this.file, this.#config.featureSet);
    this.#last = compiled;
    return compiled;
  }
}

function sameColumns(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) return false;
  return true;
}
