export { encodeOnnxModel, buildMlpModel, buildSlowModel, seededValues, OnnxDataType } from './onnx-builder';
export type {
  Dim,
  GraphSpec,
  InitializerSpec,
  MlpOptions,
  NodeSpec,
  SlowModelOptions,
  TensorInfo,
} from './onnx-builder';
export {
  createModelRepository,
  mlpConfig,
  testFeatureSet,
  writeModelConfig,
  writeModelSchema,
  writeModelVersion,
} from './model-repository-fixture';
export type { ModelConfigDocument, TestModel } from './model-repository-fixture';
export { callUnary, grpcError } from './grpc-call';
export { scrapeMetrics, metricValue } from './metrics-scrape';
export { startModelServer, MODEL_SERVER_MAIN } from './model-server-process';
export type { RunningModelServer } from './model-server-process';
