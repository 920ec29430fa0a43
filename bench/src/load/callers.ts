import type * as grpc from '@grpc/grpc-js';
import {
  createFeatureServiceClient,
  createInferenceServiceClient,
  createScoringServiceClient,
} from '@tally/contracts';
import type { feature, inference, model } from '@tally/contracts';
import mysql from 'mysql2/promise';
import type {
  CallTarget,
  FeatureVectorsTarget,
  ModelInferTarget,
  MysqlTarget,
  ScoreTarget,
} from './load-spec';
import { keysForCall } from './load-spec';

/** Makes call number `index` of a run; rejects with the call's error. */
export interface Caller {
  call(index: number): Promise<void>;
  close(): Promise<void>;
}

type Callback<T> = (err: grpc.ServiceError | null, value?: T) => void;

function unary<T>(start: (callback: Callback<T>) => void): Promise<T> {
  return new Promise((resolve, reject) => start((err, value) => (err ? reject(err) : resolve(value as T))));
}

/** One channel per generator process: grpc-js multiplexes every concurrent call over it. */
const CHANNEL_OPTIONS: grpc.ChannelOptions = { 'grpc.max_receive_message_length': 64 * 1024 * 1024 };

/**
 * A channel for `address`; several comma-separated `host:port` become one `ipv4:` target balanced
 * round_robin over all of them (how @tally/client and the model-server reach several replicas).
 */
export function channelTarget(address: string): { target: string; options: grpc.ChannelOptions } {
  const parts = address.split(',').map((a) => a.trim());
  if (parts.length === 1) return { target: address, options: CHANNEL_OPTIONS };
  return {
    target: `ipv4:${parts.join(',')}`,
    options: {
      ...CHANNEL_OPTIONS,
      'grpc.service_config': JSON.stringify({ loadBalancingConfig: [{ round_robin: {} }] }),
    },
  };
}

function featureVectorsCaller(target: FeatureVectorsTarget, timeoutMs: number): Caller {
  const channel = channelTarget(target.address);
  const client = createFeatureServiceClient(channel.target, undefined, channel.options);
  return {
    call: async (index) => {
      const request: feature.GetFeatureVectorsRequest = {
        featureSet: target.featureSet,
        entities: keysForCall(target.keys, target.entitiesPerCall, index).map((key) => ({
          keys: { [target.keyName]: { int64Value: key } },
        })),
        context: target.context,
      };
      await unary<feature.GetFeatureVectorsResponse__Output>((cb) =>
        client.GetFeatureVectors(request, { deadline: Date.now() + timeoutMs }, cb),
      );
    },
    close: async () => client.close(),
  };
}

/** Raw FP32 rows: a few distinct requests, reused in turn, so building them costs nothing per call. */
function modelInferCaller(target: ModelInferTarget, timeoutMs: number): Caller {
  const client = createInferenceServiceClient(target.address, undefined, CHANNEL_OPTIONS);
  const requests: inference.ModelInferRequest[] = [];
  for (let r = 0; r < 16; r += 1) {
    const values = new Float32Array(target.rowsPerCall * target.width);
    for (let i = 0; i < values.length; i += 1) values[i] = ((i * 7919 + r * 104729) % 1000) / 1000;
    requests.push({
      modelName: target.modelName,
      inputs: [{ name: target.inputName, datatype: 'FP32', shape: [target.rowsPerCall, target.width] }],
      rawInputContents: [Buffer.from(values.buffer)],
    });
  }
  return {
    call: async (index) => {
      await unary<inference.ModelInferResponse__Output>((cb) =>
        client.ModelInfer(requests[index % requests.length]!, { deadline: Date.now() + timeoutMs }, cb),
      );
    },
    close: async () => client.close(),
  };
}

function scoreCaller(target: ScoreTarget, timeoutMs: number): Caller {
  const client = createScoringServiceClient(target.address, undefined, CHANNEL_OPTIONS);
  return {
    call: async (index) => {
      const [key] = keysForCall(target.keys, 1, index);
      const request: model.ScoreRequest = {
        model: target.model,
        entityKeys: { [target.keyName]: { int64Value: key! } },
        context: target.context,
      };
      await unary<model.ScoreResponse__Output>((cb) =>
        client.Score(request, { deadline: Date.now() + timeoutMs }, cb),
      );
    },
    close: async () => client.close(),
  };
}

function mysqlCaller(target: MysqlTarget): Caller {
  const pool = mysql.createPool({ uri: target.url, connectionLimit: target.poolSize });
  return {
    call: async (index) => {
      const keys = keysForCall(target.keys, target.entitiesPerCall, index);
      await Promise.all(
        target.tables.map(({ table, keyColumn }) =>
          pool.query(`SELECT * FROM \`${table}\` WHERE \`${keyColumn}\` IN (?)`, [keys]),
        ),
      );
    },
    close: () => pool.end(),
  };
}

export function createCaller(target: CallTarget, timeoutMs: number): Caller {
  switch (target.kind) {
    case 'feature-vectors':
      return featureVectorsCaller(target, timeoutMs);
    case 'model-infer':
      return modelInferCaller(target, timeoutMs);
    case 'score':
      return scoreCaller(target, timeoutMs);
    case 'mysql':
      return mysqlCaller(target);
  }
}
