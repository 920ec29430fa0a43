import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

/** An attribute value as OTLP carries it, flattened to plain JS. */
export type OtlpAttributeValue =
  string | number | boolean | Buffer | null | OtlpAttributeValue[] | { [key: string]: OtlpAttributeValue };

export type OtlpAttributes = Record<string, OtlpAttributeValue>;

/** Span kinds as named by the OTLP proto (without the SPAN_KIND_ prefix). */
export type OtlpSpanKind = 'UNSPECIFIED' | 'INTERNAL' | 'SERVER' | 'CLIENT' | 'PRODUCER' | 'CONSUMER';

export interface ReceivedLink {
  traceId: string;
  spanId: string;
  attributes: OtlpAttributes;
}

/** One span as received over OTLP, decoded into a shape tests can assert on. */
export interface ReceivedSpan {
  /** 32 lowercase hex digits. */
  traceId: string;
  /** 16 lowercase hex digits. */
  spanId: string;
  /** 16 hex digits, or '' for a root span. */
  parentSpanId: string;
  name: string;
  kind: OtlpSpanKind;
  /** `service.name` of the resource that sent the span. */
  serviceName: string;
  resource: OtlpAttributes;
  scope: string;
  attributes: OtlpAttributes;
  links: ReceivedLink[];
  events: Array<{ name: string; timeUnixNano: bigint; attributes: OtlpAttributes }>;
  status: { code: 'UNSET' | 'OK' | 'ERROR'; message: string };
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
}

interface RawAnyValue {
  value?: string;
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string;
  doubleValue?: number;
  arrayValue?: { values: RawAnyValue[] };
  kvlistValue?: { values: RawKeyValue[] };
  bytesValue?: Buffer;
}
interface RawKeyValue {
  key: string;
  value?: RawAnyValue;
}
interface RawSpan {
  traceId: Buffer;
  spanId: Buffer;
  parentSpanId: Buffer;
  name: string;
  kind: string;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: RawKeyValue[];
  events: Array<{ timeUnixNano: string; name: string; attributes: RawKeyValue[] }>;
  links: Array<{ traceId: Buffer; spanId: Buffer; attributes: RawKeyValue[] }>;
  status?: { code: string; message: string };
}
interface RawExportRequest {
  resourceSpans: Array<{
    resource?: { attributes: RawKeyValue[] };
    scopeSpans: Array<{ scope?: { name: string }; spans: RawSpan[] }>;
  }>;
}

/** Folder of the official OTLP .proto files (shipped in @opentelemetry/otlp-grpc-exporter-base 0.38). */
function otlpProtoDir(): string {
  return path.join(path.dirname(require.resolve('otlp-protos/package.json')), 'build/protos');
}

function decodeValue(raw: RawAnyValue | undefined): OtlpAttributeValue {
  if (raw === undefined) return null;
  switch (raw.value) {
    case 'stringValue':
      return raw.stringValue ?? '';
    case 'boolValue':
      return raw.boolValue ?? false;
    case 'intValue':
      return Number(raw.intValue);
    case 'doubleValue':
      return raw.doubleValue ?? 0;
    case 'arrayValue':
      return (raw.arrayValue?.values ?? []).map(decodeValue);
    case 'kvlistValue':
      return decodeAttributes(raw.kvlistValue?.values ?? []);
    case 'bytesValue':
      return raw.bytesValue ?? Buffer.alloc(0);
    default:
      return null;
  }
}

function decodeAttributes(list: RawKeyValue[]): OtlpAttributes {
  return Object.fromEntries(list.map((kv) => [kv.key, decodeValue(kv.value)]));
}

const hex = (b: Buffer | undefined): string => (b ? b.toString('hex') : '');

function decodeSpan(raw: RawSpan, resource: OtlpAttributes, scope: string): ReceivedSpan {
  const statusCode = (raw.status?.code ?? 'STATUS_CODE_UNSET').replace('STATUS_CODE_', '');
  return {
    traceId: hex(raw.traceId),
    spanId: hex(raw.spanId),
    parentSpanId: hex(raw.parentSpanId),
    name: raw.name,
    kind: raw.kind.replace('SPAN_KIND_', '') as OtlpSpanKind,
    serviceName: typeof resource['service.name'] === 'string' ? resource['service.name'] : '',
    resource,
    scope,
    attributes: decodeAttributes(raw.attributes),
    links: raw.links.map((l) => ({
      traceId: hex(l.traceId),
      spanId: hex(l.spanId),
      attributes: decodeAttributes(l.attributes),
    })),
    events: raw.events.map((e) => ({
      name: e.name,
      timeUnixNano: BigInt(e.timeUnixNano),
      attributes: decodeAttributes(e.attributes),
    })),
    status: { code: statusCode as ReceivedSpan['status']['code'], message: raw.status?.message ?? '' },
    startTimeUnixNano: BigInt(raw.startTimeUnixNano),
    endTimeUnixNano: BigInt(raw.endTimeUnixNano),
  };
}

/**
 * A real OTLP/gRPC trace receiver for tests, standing in for Jaeger or an OpenTelemetry Collector:
 * a grpc-js server implementing `opentelemetry.proto.collector.trace.v1.TraceService/Export` from
 * the official .proto files. Every exported span is decoded and kept in `spans`.
 */
/** The one span of `spans` matching `predicate`; throws, listing what was received, when there are 0 or 2+. */
export function exactlyOneSpan(
  spans: ReceivedSpan[],
  predicate: (s: ReceivedSpan) => boolean,
  what: string,
): ReceivedSpan {
  const found = spans.filter(predicate);
  if (found.length !== 1) {
    throw new Error(
      `expected exactly one ${what}, found ${found.length} among: ${spans.map((s) => `${s.serviceName}/${s.name}`).join(', ')}`,
    );
  }
  return found[0]!;
}

export class OtlpReceiver {
  readonly spans: ReceivedSpan[] = [];
  /** Number of Export calls received. */
  exportCalls = 0;
  readonly #server: grpc.Server;
  #port = 0;
  #waiters: Array<() => void> = [];

  private constructor(server: grpc.Server) {
    this.#server = server;
  }

  /** Starts a receiver on 127.0.0.1 (port 0 = any free port). */
  static async start(port = 0): Promise<OtlpReceiver> {
    const definition = protoLoader.loadSync('opentelemetry/proto/collector/trace/v1/trace_service.proto', {
      includeDirs: [otlpProtoDir()],
      keepCase: false,
      longs: String,
      enums: String,
      bytes: Buffer,
      defaults: true,
      oneofs: true,
    });
    const pkg = grpc.loadPackageDefinition(definition) as unknown as {
      opentelemetry: {
        proto: { collector: { trace: { v1: { TraceService: { service: grpc.ServiceDefinition } } } } };
      };
    };
    const server = new grpc.Server();
    const receiver = new OtlpReceiver(server);
    server.addService(pkg.opentelemetry.proto.collector.trace.v1.TraceService.service, {
      Export: (
        call: grpc.ServerUnaryCall<RawExportRequest, unknown>,
        callback: grpc.sendUnaryData<unknown>,
      ) => {
        receiver.#receive(call.request);
        callback(null, {});
      },
    });
    receiver.#port = await new Promise<number>((resolve, reject) =>
      server.bindAsync(`127.0.0.1:${port}`, grpc.ServerCredentials.createInsecure(), (err, p) =>
        err ? reject(err) : resolve(p),
      ),
    );
    return receiver;
  }

  get port(): number {
    return this.#port;
  }

  /** The value for OTEL_EXPORTER_OTLP_ENDPOINT, e.g. "http://127.0.0.1:4317". */
  get endpoint(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  /** Every received span of one trace. */
  trace(traceId: string): ReceivedSpan[] {
    return this.spans.filter((s) => s.traceId === traceId);
  }

  /**
   * Resolves with the received spans once `predicate(spans)` holds for them, or rejects after
   * `timeoutMs` listing what was received.
   */
  waitForSpans(predicate: (spans: ReceivedSpan[]) => boolean, timeoutMs = 10000): Promise<ReceivedSpan[]> {
    if (predicate(this.spans)) return Promise.resolve(this.spans);
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!predicate(this.spans)) return false;
        clearTimeout(timer);
        this.#waiters = this.#waiters.filter((w) => w !== onSpans);
        resolve(this.spans);
        return true;
      };
      const onSpans = () => void check();
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w !== onSpans);
        const seen = this.spans.map((s) => `${s.serviceName}/${s.name}`).join(', ');
        reject(
          new Error(
            `timed out after ${timeoutMs} ms waiting for spans; received ${this.spans.length}: ${seen || 'none'}`,
          ),
        );
      }, timeoutMs);
      this.#waiters.push(onSpans);
    });
  }

  /** Forgets every received span. */
  clear(): void {
    this.spans.length = 0;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.#server.tryShutdown(() => resolve()));
  }

  #receive(request: RawExportRequest): void {
    this.exportCalls += 1;
    for (const resourceSpans of request.resourceSpans) {
      const resource = decodeAttributes(resourceSpans.resource?.attributes ?? []);
      for (const scopeSpans of resourceSpans.scopeSpans) {
        for (const span of scopeSpans.spans) {
          this.spans.push(decodeSpan(span, resource, scopeSpans.scope?.name ?? ''));
        }
      }
    }
    for (const waiter of [...this.#waiters]) waiter();
  }
}
