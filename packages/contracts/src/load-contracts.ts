import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { LOAD_OPTIONS } from './load-options';
import { PROTO_FILES, protoRoot } from './proto-root';
import type { ProtoGrpcType as FeatureProto } from './generated/feature_service';
import type { ProtoGrpcType as ModelProto } from './generated/scoring_service';
import type { ProtoGrpcType as DecisionLogProto } from './generated/decision_log';
import type { ProtoGrpcType as InferenceProto } from './generated/grpc_service';

/** Every Tally package, typed by the generated definitions. */
export type TallyProto = FeatureProto & ModelProto & DecisionLogProto & InferenceProto;

let cached: { definition: protoLoader.PackageDefinition; proto: TallyProto } | undefined;

function load(): { definition: protoLoader.PackageDefinition; proto: TallyProto } {
  if (cached === undefined) {
    const definition = protoLoader.loadSync([...PROTO_FILES], {
      ...LOAD_OPTIONS,
      includeDirs: [protoRoot()],
    });
    cached = { definition, proto: grpc.loadPackageDefinition(definition) as unknown as TallyProto };
  }
  return cached;
}

/** The loaded contracts (loaded once per process). */
export function loadContracts(): TallyProto {
  return load().proto;
}

/** The raw package definition, for server reflection. */
export function packageDefinition(): protoLoader.PackageDefinition {
  return load().definition;
}
