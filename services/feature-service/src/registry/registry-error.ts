/** A bad registry definition: names the file and the field path, e.g. `features/a.yaml: feature_views[0].max_age: ...`. */
export class RegistryError extends Error {
  constructor(
    readonly file: string,
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${file}: ${field}: ${problem}`);
    this.name = 'RegistryError';
  }
}
