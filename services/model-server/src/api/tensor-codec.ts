import { InvalidArgumentError } from '@tally/grpc-kit';
import type { inference } from '@tally/contracts';
import type { OutputTensor, TensorElementType } from '../inference/worker-protocol';

type InputTensor = inference._inference_ModelInferRequest_InferInputTensor__Output;
type OutputMessage = inference._inference_ModelInferResponse_InferOutputTensor;

/** OIP datatypes accepted for a float32 model input, with their element size in raw form. */
const ACCEPTED_INPUT_TYPES: Record<string, number> = { FP32: 4, FP64: 8, INT32: 4, INT64: 8, BOOL: 1 };

/** ONNX Runtime element type → OIP datatype name. */
export const OIP_DATATYPE: Record<string, string> = {
  float32: 'FP32',
  float64: 'FP64',
  int8: 'INT8',
  int16: 'INT16',
  int32: 'INT32',
  int64: 'INT64',
  uint8: 'UINT8',
  uint16: 'UINT16',
  uint32: 'UINT32',
  uint64: 'UINT64',
  bool: 'BOOL',
  float16: 'FP16',
  string: 'BYTES',
};

export interface DecodedInput {
  data: Float32Array;
  rows: number;
}

/**
 * Turns one OIP input tensor (typed `contents` or its raw bytes) into float32 rows of `width` values.
 * Converts FP64/INT32/INT64/BOOL; refuses other datatypes, shapes other than [rows, width], element
 * counts or byte lengths that do not match the shape, and NaN or ±Infinity (a NaN score would be a
 * silent wrong credit decision) — every message names the tensor.
 */
export function decodeInput(
  tensor: InputTensor,
  raw: Buffer | undefined,
  width: number,
  maxRows: number,
): DecodedInput {
  const field = `inputs['${tensor.name}']`;
  const datatype = tensor.datatype;
  const size = ACCEPTED_INPUT_TYPES[datatype];
  if (size === undefined) {
    throw new InvalidArgumentError(
      `${field}.datatype`,
      `${datatype === '' ? 'missing' : `'${datatype}'`}; a float32 input accepts FP32, FP64, INT32, INT64 or BOOL`,
    );
  }
  const shape = tensor.shape;
  if (shape.length !== 2 || !shape.every((d) => Number.isSafeInteger(d))) {
    throw new InvalidArgumentError(`${field}.shape`, `[${shape.join(', ')}] is not [rows, ${width}]`);
  }
  const [rows, columns] = shape as [number, number];
  if (columns !== width) {
    throw new InvalidArgumentError(
      `${field}.shape`,
      `[${shape.join(', ')}]: the model takes ${width} columns, got ${columns}`,
    );
  }
  if (rows < 1)
    throw new InvalidArgumentError(`${field}.shape`, `[${shape.join(', ')}]: at least one row is needed`);
  if (maxRows > 0 && rows > maxRows) {
    throw new InvalidArgumentError(
      `${field}.shape`,
      `${rows} rows exceed the model's max_batch_size ${maxRows}`,
    );
  }
  const count = rows * columns;
  const out = new Float32Array(count);
  if (raw !== undefined) {
    if (raw.length !== count * size) {
      throw new InvalidArgumentError(
        `raw_input_contents for ${field}`,
        `${raw.length} bytes, expected ${count * size} (${count} ${datatype} elements of ${size} bytes for shape [${shape.join(', ')}])`,
      );
    }
    decodeRaw(raw, datatype, out, field);
  } else {
    decodeContents(tensor, datatype, out, field);
  }
  return { data: out, rows };
}

function decodeRaw(raw: Buffer, datatype: string, out: Float32Array, field: string): void {
  const n = out.length;
  switch (datatype) {
    case 'FP32':
      new Uint8Array(out.buffer).set(raw);
      break;
    case 'FP64':
      for (let i = 0; i < n; i += 1) out[i] = checkedFloat(raw.readDoubleLE(i * 8), field, i);
      break;
    case 'INT32':
      for (let i = 0; i < n; i += 1) out[i] = raw.readInt32LE(i * 4);
      break;
    case 'INT64':
      for (let i = 0; i < n; i += 1) out[i] = Number(raw.readBigInt64LE(i * 8));
      break;
    case 'BOOL':
      for (let i = 0; i < n; i += 1) out[i] = raw[i] === 0 ? 0 : 1;
      break;
  }
  checkFinite(out, field);
}

function decodeContents(tensor: InputTensor, datatype: string, out: Float32Array, field: string): void {
  const c = tensor.contents;
  const values: ArrayLike<number | boolean> | undefined =
    c === null
      ? undefined
      : datatype === 'FP32'
        ? c.fp32Contents
        : datatype === 'FP64'
          ? c.fp64Contents
          : datatype === 'INT32'
            ? c.intContents
            : datatype === 'INT64'
              ? c.int64Contents
              : c.boolContents;
  const got = values?.length ?? 0;
  if (got !== out.length) {
    const member = {
      FP32: 'fp32_contents',
      FP64: 'fp64_contents',
      INT32: 'int_contents',
      INT64: 'int64_contents',
      BOOL: 'bool_contents',
    }[datatype];
    throw new InvalidArgumentError(
      `${field}.contents.${member ?? 'contents'}`,
      `${got} values, expected ${out.length} for shape [${tensor.shape.join(', ')}]`,
    );
  }
  for (let i = 0; i < out.length; i += 1) {
    const v = values![i]!;
    out[i] = typeof v === 'boolean' ? (v ? 1 : 0) : datatype === 'FP64' ? checkedFloat(v, field, i) : v;
  }
  checkFinite(out, field);
}

/** A double that must still be finite as float32. */
function checkedFloat(value: number, field: string, index: number): number {
  if (Number.isFinite(value) && !Number.isFinite(Math.fround(value))) {
    throw new InvalidArgumentError(field, `element ${index} (${value}) is outside the float32 range`);
  }
  return value;
}

function checkFinite(values: Float32Array, field: string): void {
  for (let i = 0; i < values.length; i += 1) {
    const v = values[i]!;
    if (!Number.isFinite(v)) {
      throw new InvalidArgumentError(
        field,
        `element ${i} is ${Number.isNaN(v) ? 'NaN' : v > 0 ? '+Infinity' : '-Infinity'}; NaN and infinite values are refused`,
      );
    }
  }
}

/** An output in typed `contents` form. */
export function encodeTyped(output: OutputTensor): OutputMessage {
  return {
    name: output.name,
    datatype: OIP_DATATYPE[output.type] ?? output.type,
    shape: output.dims,
    contents: typedContents(output.type, output.data),
  };
}

function typedContents(type: TensorElementType, data: OutputTensor['data']): inference.InferTensorContents {
  const numbers = (): number[] => Array.from(data as ArrayLike<number | bigint>, (v) => Number(v));
  switch (type) {
    case 'float32':
      return { fp32Contents: numbers() };
    case 'float64':
      return { fp64Contents: numbers() };
    case 'int8':
    case 'int16':
    case 'int32':
      return { intContents: numbers() };
    case 'int64':
      return { int64Contents: Array.from(data as BigInt64Array, (v) => v.toString()) };
    case 'uint8':
    case 'uint16':
    case 'uint32':
      return { uintContents: numbers() };
    case 'uint64':
      return { uint64Contents: Array.from(data as BigUint64Array, (v) => v.toString()) };
    case 'bool':
      return { boolContents: Array.from(data as Uint8Array, (v) => v !== 0) };
  }
}

/** An output as metadata plus little-endian raw bytes. */
export function encodeRaw(output: OutputTensor): { tensor: OutputMessage; raw: Buffer } {
  return {
    tensor: { name: output.name, datatype: OIP_DATATYPE[output.type] ?? output.type, shape: output.dims },
    raw: Buffer.from(output.data.buffer, output.data.byteOffset, output.data.byteLength),
  };
}
