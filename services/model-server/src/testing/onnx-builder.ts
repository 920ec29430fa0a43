import protobuf from 'protobufjs';

/**
 * A small encoder for ONNX models, so tests and benchmarks can build real models without Python.
 * Only the messages needed to describe a graph of standard operators are declared; their field
 * numbers are those of the public onnx.proto.
 */
const ONNX_SCHEMA = `
syntax = "proto3";
package onnx;
message OperatorSetIdProto { string domain = 1; int64 version = 2; }
message TensorShapeProto {
  message Dimension { oneof value { int64 dim_value = 1; string dim_param = 2; } }
  repeated Dimension dim = 1;
}
message TypeProto {
  message Tensor { int32 elem_type = 1; TensorShapeProto shape = 2; }
  oneof value { Tensor tensor_type = 1; }
}
message ValueInfoProto { string name = 1; TypeProto type = 2; }
message TensorProto {
  repeated int64 dims = 1;
  int32 data_type = 2;
  repeated float float_data = 4 [packed = true];
  repeated int64 int64_data = 7 [packed = true];
  string name = 8;
}
message AttributeProto {
  string name = 1;
  float f = 2;
  int64 i = 3;
  repeated int64 ints = 8;
  int32 type = 20;
}
message NodeProto {
  repeated string input = 1;
  repeated string output = 2;
  string name = 3;
  string op_type = 4;
  repeated AttributeProto attribute = 5;
  string domain = 7;
}
message GraphProto {
  repeated NodeProto node = 1;
  string name = 2;
  repeated TensorProto initializer = 5;
  repeated ValueInfoProto input = 11;
  repeated ValueInfoProto output = 12;
}
message ModelProto {
  int64 ir_version = 1;
  string producer_name = 2;
  GraphProto graph = 7;
  repeated OperatorSetIdProto opset_import = 8;
}
`;

/** ONNX TensorProto.DataType values used here. */
export const OnnxDataType = { FLOAT: 1, INT32: 6, INT64: 7, BOOL: 9, DOUBLE: 11 } as const;
export type OnnxDataType = (typeof OnnxDataType)[keyof typeof OnnxDataType];

/** ONNX AttributeProto.AttributeType values used here. */
const ATTRIBUTE_FLOAT = 1;
const ATTRIBUTE_INT = 2;
const ATTRIBUTE_INTS = 7;

/** A dimension: a fixed size, or a symbolic name (e.g. "batch") for a variable size. */
export type Dim = number | string;

export interface TensorInfo {
  name: string;
  elemType: OnnxDataType;
  shape: Dim[];
}

export interface NodeSpec {
  opType: string;
  inputs: string[];
  outputs: string[];
  /** Attributes: a number becomes an INT (integer) or FLOAT, a number[] becomes INTS. */
  attributes?: Record<string, number | number[]>;
  /** Force FLOAT for integral attribute values (e.g. alpha: 1). */
  floatAttributes?: string[];
}

export interface InitializerSpec {
  name: string;
  dims: number[];
  values: ArrayLike<number>;
}

export interface GraphSpec {
  name?: string;
  inputs: TensorInfo[];
  outputs: TensorInfo[];
  nodes: NodeSpec[];
  initializers?: InitializerSpec[];
  opset?: number;
}

let schemaRoot: protobuf.Root | undefined;
function modelType(): protobuf.Type {
  schemaRoot ??= protobuf.parse(ONNX_SCHEMA, { keepCase: true }).root;
  return schemaRoot.lookupType('onnx.ModelProto');
}

function valueInfo(t: TensorInfo): object {
  return {
    name: t.name,
    type: {
      tensor_type: {
        elem_type: t.elemType,
        shape: { dim: t.shape.map((d) => (typeof d === 'number' ? { dim_value: d } : { dim_param: d })) },
      },
    },
  };
}

function attribute(name: string, value: number | number[], forceFloat: boolean): object {
  if (Array.isArray(value)) return { name, ints: value, type: ATTRIBUTE_INTS };
  if (forceFloat || !Number.isInteger(value)) return { name, f: value, type: ATTRIBUTE_FLOAT };
  return { name, i: value, type: ATTRIBUTE_INT };
}

/** Encodes a graph as the bytes of an ONNX model file (IR version 8, default opset 17). */
export function encodeOnnxModel(spec: GraphSpec): Uint8Array {
  const type = modelType();
  const message = type.fromObject({
    ir_version: 8,
    producer_name: 'tally-onnx-builder',
    opset_import: [{ domain: '', version: spec.opset ?? 17 }],
    graph: {
      name: spec.name ?? 'graph',
      input: spec.inputs.map(valueInfo),
      output: spec.outputs.map(valueInfo),
      initializer: (spec.initializers ?? []).map((init) => ({
        name: init.name,
        dims: init.dims,
        data_type: OnnxDataType.FLOAT,
        float_data: Array.from(init.values),
      })),
      node: spec.nodes.map((n, i) => ({
        name: `${n.opType.toLowerCase()}_${i}`,
        op_type: n.opType,
        input: n.inputs,
        output: n.outputs,
        attribute: Object.entries(n.attributes ?? {}).map(([name, value]) =>
          attribute(name, value, n.floatAttributes?.includes(name) ?? false),
        ),
      })),
    },
  });
  return type.encode(message).finish();
}

/** Deterministic pseudo-random numbers in [-scale, scale), so built models are reproducible. */
export function seededValues(count: number, seed: number, scale = 1): Float32Array {
  const out = new Float32Array(count);
  let state = seed >>> 0 || 1;
  for (let i = 0; i < count; i += 1) {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    out[i] = ((state / 0x100000000) * 2 - 1) * scale;
  }
  return out;
}

export interface MlpOptions {
  /** Input width (features per row). */
  width: number;
  /** Hidden layer size. Default 16. */
  hidden?: number;
  /** Seed of the weights; two seeds give two different models of one shape. Default 1. */
  seed?: number;
  /** Input tensor name. Default "features". */
  inputName?: string;
  /**
   * Output layout. "probabilities": one output `probabilities` of shape [batch, 2] ([1-p, p]) plus a
   * `label` int64 output, like a classifier. "score": one output `score` of shape [batch, 1].
   * Default "probabilities".
   */
  outputs?: 'probabilities' | 'score';
  /** Symbolic name of the batch dimension, or a fixed size. Default "batch". */
  batchDim?: Dim;
}

/**
 * A two-layer perceptron: sigmoid(relu(x·W1 + b1)·W2 + b2). Its score is the probability of class 1.
 */
export function buildMlpModel(options: MlpOptions): Uint8Array {
  const width = options.width;
  const hidden = options.hidden ?? 16;
  const seed = options.seed ?? 1;
  const input = options.inputName ?? 'features';
  const batch = options.batchDim ?? 'batch';
  const nodes: NodeSpec[] = [
    { opType: 'MatMul', inputs: [input, 'w1'], outputs: ['h_mm'] },
    { opType: 'Add', inputs: ['h_mm', 'b1'], outputs: ['h_add'] },
    { opType: 'Relu', inputs: ['h_add'], outputs: ['h'] },
    { opType: 'MatMul', inputs: ['h', 'w2'], outputs: ['logit_mm'] },
    { opType: 'Add', inputs: ['logit_mm', 'b2'], outputs: ['logit'] },
  ];
  const outputs: TensorInfo[] = [];
  if ((options.outputs ?? 'probabilities') === 'score') {
    nodes.push({ opType: 'Sigmoid', inputs: ['logit'], outputs: ['score'] });
    outputs.push({ name: 'score', elemType: OnnxDataType.FLOAT, shape: [batch, 1] });
  } else {
    nodes.push(
      { opType: 'Sigmoid', inputs: ['logit'], outputs: ['p1'] },
      { opType: 'Sub', inputs: ['one', 'p1'], outputs: ['p0'] },
      { opType: 'Concat', inputs: ['p0', 'p1'], outputs: ['probabilities'], attributes: { axis: 1 } },
      {
        opType: 'ArgMax',
        inputs: ['probabilities'],
        outputs: ['label'],
        attributes: { axis: 1, keepdims: 0 },
      },
    );
    outputs.push(
      { name: 'label', elemType: OnnxDataType.INT64, shape: [batch] },
      { name: 'probabilities', elemType: OnnxDataType.FLOAT, shape: [batch, 2] },
    );
  }
  return encodeOnnxModel({
    name: 'mlp',
    inputs: [{ name: input, elemType: OnnxDataType.FLOAT, shape: [batch, width] }],
    outputs,
    nodes,
    initializers: [
      { name: 'w1', dims: [width, hidden], values: seededValues(width * hidden, seed, 1 / Math.sqrt(width)) },
      { name: 'b1', dims: [hidden], values: seededValues(hidden, seed + 1, 0.1) },
      { name: 'w2', dims: [hidden, 1], values: seededValues(hidden, seed + 2, 1 / Math.sqrt(hidden)) },
      { name: 'b2', dims: [1], values: [0.05 * seed] },
      { name: 'one', dims: [1], values: [1] },
    ],
  });
}

export interface SlowModelOptions {
  width: number;
  /** Size of the square matrix multiplied in every step. Default 256. */
  inner?: number;
  /** Number of chained [rows, inner]·[inner, inner] products: the cost grows linearly. Default 40. */
  steps?: number;
  inputName?: string;
}

/**
 * A deliberately slow model (a long chain of square MatMul+Tanh steps) with the same interface as
 * the MLP's "score" layout: input [batch, width], output `score` [batch, 1]. A large batch keeps a
 * session busy for a long time, which makes blocking visible.
 */
export function buildSlowModel(options: SlowModelOptions): Uint8Array {
  const width = options.width;
  const inner = options.inner ?? 256;
  const steps = options.steps ?? 40;
  const input = options.inputName ?? 'features';
  const nodes: NodeSpec[] = [{ opType: 'MatMul', inputs: [input, 'w_in'], outputs: ['s0'] }];
  for (let i = 0; i < steps; i += 1) {
    nodes.push(
      { opType: 'MatMul', inputs: [`s${i}`, 'w_step'], outputs: [`m${i}`] },
      { opType: 'Tanh', inputs: [`m${i}`], outputs: [`s${i + 1}`] },
    );
  }
  nodes.push(
    { opType: 'MatMul', inputs: [`s${steps}`, 'w_out'], outputs: ['logit'] },
    { opType: 'Sigmoid', inputs: ['logit'], outputs: ['score'] },
  );
  return encodeOnnxModel({
    name: 'slow',
    inputs: [{ name: input, elemType: OnnxDataType.FLOAT, shape: ['batch', width] }],
    outputs: [{ name: 'score', elemType: OnnxDataType.FLOAT, shape: ['batch', 1] }],
    nodes,
    initializers: [
      { name: 'w_in', dims: [width, inner], values: seededValues(width * inner, 7, 1 / Math.sqrt(width)) },
      { name: 'w_step', dims: [inner, inner], values: seededValues(inner * inner, 8, 1 / Math.sqrt(inner)) },
      { name: 'w_out', dims: [inner, 1], values: seededValues(inner, 9, 1 / Math.sqrt(inner)) },
    ],
  });
}
