import type { model } from '@tally/contracts';
import { ExplanationFileError } from './explanation-file-error';
import type { ReasonConfig } from './reason-config';

/** One reason code resolved to the vector's columns. */
export interface ReasonGroup {
  code: string;
  text: string;
  features: string[];
  columns: string[];
  /** Positions of `columns` in the vector. */
  indices: number[];
}

/** A model's reason map checked against its feature set's columns. */
export interface ReasonMap {
  groups: ReasonGroup[];
  topN: number;
  /** The columns it was compiled for (a vector with other columns needs another compile). */
  columns: readonly string[];
}

/** The feature a column belongs to: `verification_status=Verified` → `verification_status`. */
export function featureOfColumn(column: string): string {
  const eq = column.indexOf('=');
  return eq === -1 ? column : column.slice(0, eq);
}

/**
 * Resolves each code's features to the columns of the feature set. Every feature of the set must be in
 * exactly one code, and every feature named must exist: otherwise the model is refused, naming the config
 * file and the field.
 */
export function compileReasonMap(
  config: ReasonConfig,
  columns: readonly string[],
  file: string,
  featureSet: string,
): ReasonMap {
  const columnsOf = new Map<string, number[]>();
  columns.forEach((column, i) => {
    const feature = featureOfColumn(column);
    columnsOf.set(feature, [...(columnsOf.get(feature) ?? []), i]);
  });
  const covered = new Set<string>();
  const groups = config.codes.map((code, i): ReasonGroup => {
    const indices: number[] = [];
    code.features.forEach((feature, j) => {
      const found = columnsOf.get(feature);
      if (found === undefined) {
        throw new ExplanationFileError(
          file,
          `reasons.codes[${i}].features[${j}]`,
          `unknown feature '${feature}': feature set '${featureSet}' has ${[...columnsOf.keys()].join(', ')}`,
        );
      }
      covered.add(feature);
      indices.push(...found);
    });
    return {
      code: code.code,
      text: code.text,
      features: code.features,
      columns: indices.map((c) => columns[c]!),
      indices,
    };
  });
  const missing = [...columnsOf.keys()].filter((f) => !covered.has(f));
  if (missing.length > 0) {
    throw new ExplanationFileError(
      file,
      'reasons.codes',
      `no reason code covers feature${missing.length > 1 ? 's' : ''} ${missing.map((f) => `'${f}'`).join(', ')} of feature set '${featureSet}' (every feature needs exactly one code)`,
    );
  }
  return { groups, topN: config.topN, columns };
}

const PRESENT = 'FEATURE_STATUS_PRESENT';

/**
 * The reasons of one row: each group's contribution is the sum of its columns' attributions; those
 * above zero, largest first (equal contributions by code), at most topN. A reason is `defaulted` when
 * any of its columns was not PRESENT.
 */
export function selectReasons(
  map: ReasonMap,
  attributions: ArrayLike<number>,
  offset: number,
  statuses: readonly string[],
): model.Reason[] {
  const scored: Array<{ group: ReasonGroup; contribution: number }> = [];
  for (const group of map.groups) {
    let contribution = 0;
    for (const c of group.indices) contribution += attributions[offset + c]!;
    if (contribution > 0) scored.push({ group, contribution });
  }
  scored.sort(
    (a, b) =>
      b.contribution - a.contribution ||
      (a.group.code < b.group.code ? -1 : a.group.code > b.group.code ? 1 : 0),
  );
  return scored.slice(0, map.topN).map(({ group, contribution }) => ({
    code: group.code,
    text: group.text,
    features: group.features,
    columns: group.columns,
    contribution,
    defaulted: group.indices.some((c) => (statuses[c] ?? PRESENT) !== PRESENT),
  }));
}
