/**
 * The no-op baseline: a bare grpc-js server answering the same RPC shapes as the Tally services with
 * canned replies of the same size, doing no work. Its throughput is the ceiling of any gRPC call on
 * this machine. With NOOP_DOWNSTREAM set, Score first calls GetFeatureVectors on that address (the
 * no-op two-hop chain: client → no-op A → no-op B).
 *
 * Environment: NOOP_WIDTH (columns per vector, default 32), NOOP_DOWNSTREAM (host:port, optional).
 * Prints {"message":"listening","grpc_port":N} once bound, like the Tally services.
 */
import * as grpc from '@grpc/grpc-js';
import {
  createFeatureServiceClient,
  featureServiceDefinition,
  inferenceServiceDefinition,
  scoringServiceDefinition,
} from '@tally/contracts';
import type { feature, inference, model } from '@tally/contracts';

const width = Number(process.env.NOOP_WIDTH ?? '32');
const downstreamAddress = process.env.NOOP_DOWNSTREAM ?? '';
const downstream = downstreamAddress ? createFeatureServiceClient(downstreamAddress) : undefined;

const columns = Array.from({ length: width }, (_, i) => `column_${i}`);
const vectorsByCount = new Map<number, feature.GetFeatureVectorsResponse>();
function cannedVectors(featureSet: string, count: number): feature.GetFeatureVectorsResponse {
  let reply = vectorsByCount.get(count);
  if (reply === undefined) {
    const vector: feature.FeatureVector = {
      values: columns.map((_, i) => i * 0.5),
      statuses: columns.map(() => 'FEATURE_STATUS_PRESENT'),
      eventTimesUnixMs: columns.map(() => 1700000000000),
    };
    reply = {
      columns,
      vectors: Array.from({ length: count }, () => vector),
      featureSetFingerprint: '0123456789abcdef',
    };
    vectorsByCount.set(count, reply);
  }
  return { ...reply, featureSet };
}

const inferByRows = new Map<number, inference.ModelInferResponse>();
function cannedInference(request: inference.ModelInferRequest__Output): inference.ModelInferResponse {
  const rows = Number(request.inputs[0]?.shape[0] ?? 1);
  let reply = inferByRows.get(rows);
  if (reply === undefined) {
    reply = {
      outputs: [{ name: 'probabilities', datatype: 'FP32', shape: [rows, 2] }],
      rawOutputContents: [Buffer.alloc(rows * 2 * 4)],
    };
    inferByRows.set(rows, reply);
  }
  return { ...reply, modelName: request.modelName, modelVersion: '1', id: request.id };
}

function cannedScore(request: model.ScoreRequest__Output): model.ScoreResponse {
  return {
    score: 0.25,
    model: request.model,
    version: '1',
    requestId: request.requestId || 'noop',
    featureSet: 'noop',
    featureSetFingerprint: '0123456789abcdef',
    timing: { featuresUs: 1, queueUs: 1, computeUs: 1, totalUs: 3 },
  };
}

const server = new grpc.Server({ 'grpc.max_receive_message_length': 64 * 1024 * 1024 });
server.addService(featureServiceDefinition(), {
  GetFeatureVectors: (
    call: grpc.ServerUnaryCall<feature.GetFeatureVectorsRequest__Output, feature.GetFeatureVectorsResponse>,
    callback: grpc.sendUnaryData<feature.GetFeatureVectorsResponse>,
  ) => callback(null, cannedVectors(call.request.featureSet, call.request.entities.length)),
});
server.addService(inferenceServiceDefinition(), {
  ModelInfer: (
    call: grpc.ServerUnaryCall<inference.ModelInferRequest__Output, inference.ModelInferResponse>,
    callback: grpc.sendUnaryData<inference.ModelInferResponse>,
  ) => callback(null, cannedInference(call.request)),
});
server.addService(scoringServiceDefinition(), {
  Score: (
    call: grpc.ServerUnaryCall<model.ScoreRequest__Output, model.ScoreResponse>,
    callback: grpc.sendUnaryData<model.ScoreResponse>,
  ) => {
    if (downstream === undefined) {
      callback(null, cannedScore(call.request));
      return;
    }
    const deadline = call.getDeadline();
    downstream.GetFeatureVectors(
      { featureSet: 'noop', entities: [{ keys: call.request.entityKeys }], context: call.request.context },
      { deadline },
      (err) => (err ? callback(err) : callback(null, cannedScore(call.request))),
    );
  },
});

server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, port) => {
  if (err) {
    process.stderr.write(`no-op server: ${err.message}\n`);
    process.exit(1);
  }
  process.stdout.write(`${JSON.stringify({ message: 'listening', grpc_port: port })}\n`);
});

process.once('SIGTERM', () => server.tryShutdown(() => process.exit(0)));
