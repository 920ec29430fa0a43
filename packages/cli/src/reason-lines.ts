import type { model } from '@tally/contracts';

const METHODS: Record<string, string> = {
  tree_shap: 'TreeSHAP',
  sampling_shapley: 'sampling Shapley',
};
const SPACES: Record<string, string> = { margin: 'log-odds', score: 'probability' };

/** A contribution with its sign, e.g. `+0.5087`. */
export function signed(value: number): string {
  return `${value >= 0 ? '+' : ''}${value.toFixed(4)}`;
}

/**
 * The `reasons` lines of `tally score`: a header saying how contributions were measured, then one
 * line per reason (code, contribution, text, and "(defaulted: …)" when it rests on a defaulted value).
 */
export function reasonLines(
  reasons: model.Reason__Output[],
  explanation: model.Explanation__Output,
): string[] {
  const method = METHODS[explanation.method] ?? explanation.method;
  const space = SPACES[explanation.space] ?? explanation.space;
  const header =
    `${'reasons'.padEnd(12)} ${reasons.length === 0 ? 'none: nothing raised the score above its base' : `${reasons.length} that raised the score most`}` +
    ` (${method}, ${space} contributions from base ${explanation.baseValue.toFixed(4)})`;
  const width = Math.max(0, ...reasons.map((r) => r.code.length));
  return [
    header,
    ...reasons.map(
      (r) =>
        `${' '.repeat(13)}${r.code.padEnd(width)}  ${signed(r.contribution)}  ${r.text}` +
        (r.defaulted ? '  (rests on a defaulted value)' : ''),
    ),
  ];
}

/** The reasons as `--json` prints them. */
export function reasonsJson(
  reasons: model.Reason__Output[],
  explanation: model.Explanation__Output,
): Record<string, unknown> {
  return {
    reasons: reasons.map((r) => ({
      code: r.code,
      text: r.text,
      contribution: r.contribution,
      features: r.features,
      columns: r.columns,
      defaulted: r.defaulted,
    })),
    explanation: {
      method: explanation.method,
      space: explanation.space,
      baseValue: explanation.baseValue,
      value: explanation.value,
    },
  };
}
