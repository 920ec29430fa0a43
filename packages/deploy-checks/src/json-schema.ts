import Ajv from 'ajv';
import type { ErrorObject } from 'ajv';

const ajv = new Ajv({ allErrors: true, strict: false });

function describe(error: ErrorObject): string {
  const where = error.instancePath || '(root)';
  const extra =
    error.keyword === 'additionalProperties'
      ? ` (${String((error.params as { additionalProperty: string }).additionalProperty)})`
      : error.keyword === 'enum'
        ? ` (${JSON.stringify((error.params as { allowedValues: unknown[] }).allowedValues)})`
        : '';
  return `${where} ${error.message ?? error.keyword}${extra}`;
}

/** Validates `data` against a JSON schema (draft-07, what Helm reads); returns one line per problem. */
export function schemaProblems(schema: object, data: unknown): string[] {
  const validate = ajv.compile(schema);
  return validate(data) ? [] : (validate.errors ?? []).map(describe);
}
