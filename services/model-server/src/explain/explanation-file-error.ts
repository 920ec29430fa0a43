/** A file the explainer needs (xgboost.json, baseline.json, the reasons of config.yaml) that cannot be used. */
export class ExplanationFileError extends Error {
  constructor(
    readonly file: string,
    readonly field: string,
    problem: string,
  ) {
    super(`${file}: ${field}: ${problem}`);
    this.name = 'ExplanationFileError';
  }
}
