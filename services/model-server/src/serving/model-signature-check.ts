import type { ModelConfig } from '../repository/model-config';
import type { ModelSignature, TensorElementType, TensorSignature } from '../inference/worker-protocol';

/** A model file whose inputs or outputs do not match its config (or its feature set). */
export class ModelMismatchError extends Error {
  constructor(file: string, problem: string) {
    super(`${file}: ${problem}`);
    this.name = 'ModelMismatchError';
  }
}

const PASSED_THROUGH: readonly string[] = [
  'float32',
  'float64',
  'int8',
  'int16',
  'int32',
  'int64',
  'uint8',
  'uint16',
  'uint32',
  'uint64',
  'bool',
] satisfies TensorElementType[];

export interface CheckedSignature {
  /** Columns per row of the model input. */
  width: number;
  input: TensorSignature;
  outputs: TensorSignature[];
}

function shapeText(shape: ReadonlyArray<number | string>): string {
  return `[${shape.map((d) => (typeof d === 'number' && d >= 0 ? String(d) : typeof d === 'string' ? d || '?' : '?')).join(', ')}]`;
}

function isVariable(d: number | string | undefined): boolean {
  return typeof d === 'string' || (typeof d === 'number' && d < 0);
}

/**
 * Checks what the ONNX file declares against the model's config: exactly the configured float32 input
 * of shape [batch, width], a width equal to `input_width` (when set) and to the feature set's width
 * (when known), and a score output whose `score_index` column exists. Throws ModelMismatchError
 * saying what differs.
 */
export function checkSignature(
  signature: ModelSignature,
  config: ModelConfig,
  file: string,
  featureSetWidth?: number,
): CheckedSignature {
  const fail = (problem: string): never => {
    throw new ModelMismatchError(file, problem);
  };
  const names = signature.inputs.map((i) => i.name);
  const input = signature.inputs.find((i) => i.name === config.input);
  if (input === undefined) {
    fail(`the model has no input '${config.input}' (config input); it declares inputs [${names.join(', ')}]`);
  }
  if (signature.inputs.length !== 1) {
    fail(
      `the model declares ${signature.inputs.length} inputs [${names.join(', ')}]; only models with one input are served`,
    );
  }
  const inp = input!;
  if (inp.type !== 'float32') fail(`input '${inp.name}' is ${inp.type}, expected float32`);
  if (inp.shape.length !== 2)
    fail(`input '${inp.name}' has shape ${shapeText(inp.shape)}, expected rank 2 [batch, width]`);
  if (!isVariable(inp.shape[0])) {
    fail(
      `input '${inp.name}' has a fixed first dimension ${String(inp.shape[0])} (shape ${shapeText(inp.shape)}); the batch dimension must be variable`,
    );
  }
  const declared = inp.shape[1];
  let width: number;
  if (typeof declared === 'number' && declared > 0) {
    width = declared;
    if (config.inputWidth !== undefined && config.inputWidth !== declared) {
      fail(`input '${inp.name}' has width ${declared} but config input_width is ${config.inputWidth}`);
    }
  } else if (config.inputWidth !== undefined) {
    width = config.inputWidth;
  } else {
    return fail(
      `input '${inp.name}' has a variable width (shape ${shapeText(inp.shape)}); set input_width in the config`,
    );
  }
  if (featureSetWidth !== undefined && featureSetWidth !== width) {
    fail(
      `input '${inp.name}' has width ${width} but feature set '${config.featureSet}' has ${featureSetWidth} columns`,
    );
  }
  for (const out of signature.outputs) {
    if (!PASSED_THROUGH.includes(out.type)) {
      fail(
        `output '${out.name}' is of type ${out.type}, which the server cannot return (export without ZipMap)`,
      );
    }
  }
  const score = signature.outputs.find((o) => o.name === config.scoreOutput);
  if (score === undefined) {
    fail(
      `the model has no output '${config.scoreOutput}' (config score_output); it declares outputs [${signature.outputs.map((o) => o.name).join(', ')}]`,
    );
  }
  const s = score!;
  if (s.type !== 'float32' && s.type !== 'float64')
    fail(`score output '${s.name}' is ${s.type}, expected float32 or float64`);
  if (s.shape.length === 1 ? config.scoreIndex !== 0 : s.shape.length !== 2) {
    fail(
      `score output '${s.name}' has shape ${shapeText(s.shape)}; score_index ${config.scoreIndex} does not exist in it`,
    );
  }
  const columns = s.shape[1];
  if (s.shape.length === 2 && typeof columns === 'number' && columns > 0 && config.scoreIndex >= columns) {
    fail(
      `score output '${s.name}' has ${columns} columns (shape ${shapeText(s.shape)}); score_index ${config.scoreIndex} is out of range`,
    );
  }
  return { width, input: inp, outputs: signature.outputs };
}
