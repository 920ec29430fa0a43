export { freePort } from './free-port';
export { repoRoot } from './repo-root';
export { ServiceProcess, spawnService, startService } from './service-process';
export type { Exit, ServiceProcessOptions } from './service-process';
export { checkHealth } from './health-client';
export { listServicesByReflection } from './reflection-client';
export { OtlpReceiver, exactlyOneSpan } from './otlp-receiver';
export type {
  OtlpAttributeValue,
  OtlpAttributes,
  OtlpSpanKind,
  ReceivedLink,
  ReceivedSpan,
} from './otlp-receiver';
export { NatsTestServer, natsServerBinary } from './nats-test-server';
