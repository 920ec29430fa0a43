import { InvalidArgumentError } from '@tally/grpc-kit';
import type { inference } from '@tally/contracts';

type Parameter = inference.InferParameter__Output;

export interface InferRequestParameters {
  /** Priority level, 1 = highest; 0 = the model's default. */
  priority: number;
  /** Queue timeout in microseconds; 0 = the model's default. */
  queueTimeoutUs: number;
}

function integerParam(name: string, p: Parameter): number {
  const field = `parameters.${name}`;
  const value =
    p.parameterChoice === 'int64Param'
      ? p.int64Param
      : p.parameterChoice === 'uint64Param'
        ? p.uint64Param
        : p.parameterChoice === 'doubleParam'
          ? p.doubleParam
          : undefined;
  if (value === undefined || !Number.isSafeInteger(value) || value < 0) {
    throw new InvalidArgumentError(
      field,
      `expected a non-negative integer (int64_param), got ${p.parameterChoice ?? 'nothing'}${value === undefined ? '' : ` ${value}`}`,
    );
  }
  return value;
}

/** Reads the request parameters Tally uses: "priority" and "timeout" (µs). Others are ignored. */
export function readInferParameters(parameters: Record<string, Parameter>): InferRequestParameters {
  const priority = parameters.priority ? integerParam('priority', parameters.priority) : 0;
  const queueTimeoutUs = parameters.timeout ? integerParam('timeout', parameters.timeout) : 0;
  return { priority, queueTimeoutUs };
}
