/**
 * JSON-lines logger: one object per line on stdout with time, level, service, message and fields.
 * When a trace context provider is registered (by @tally/telemetry), every line carries trace_id and
 * span_id of the active span, so a log line leads to its trace in Jaeger.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const LEVEL_ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
export const LOG_LEVELS = Object.keys(LEVEL_ORDER) as LogLevel[];

export type LogFields = Record<string, unknown>;
export type TraceContextProvider = () => { trace_id: string; span_id: string } | undefined;

let traceContextProvider: TraceContextProvider | undefined;

/** Lets the telemetry package attach the active trace and span ids to every log line. */
export function setTraceContextProvider(provider: TraceContextProvider | undefined): void {
  traceContextProvider = provider;
}

export class Logger {
  readonly #service: string;
  readonly #minLevel: number;
  readonly #write: (line: string) => void;
  readonly #bound: LogFields;

  constructor(
    service: string,
    level: LogLevel = 'info',
    write: (line: string) => void = (line) => process.stdout.write(line),
    bound: LogFields = {},
  ) {
    this.#service = service;
    this.#minLevel = LEVEL_ORDER[level];
    this.#write = write;
    this.#bound = bound;
  }

  /** A logger that adds `fields` to every line. */
  child(fields: LogFields): Logger {
    const level =
      (Object.keys(LEVEL_ORDER) as LogLevel[]).find((l) => LEVEL_ORDER[l] === this.#minLevel) ?? 'info';
    return new Logger(this.#service, level, this.#write, { ...this.#bound, ...fields });
  }

  debug(message: string, fields?: LogFields): void {
    this.#log('debug', message, fields);
  }
  info(message: string, fields?: LogFields): void {
    this.#log('info', message, fields);
  }
  warn(message: string, fields?: LogFields): void {
    this.#log('warn', message, fields);
  }
  error(message: string, fields?: LogFields): void {
    this.#log('error', message, fields);
  }

  #log(level: LogLevel, message: string, fields?: LogFields): void {
    if (LEVEL_ORDER[level] < this.#minLevel) return;
    const record: LogFields = {
      time: new Date().toISOString(),
      level,
      service: this.#service,
      message,
      ...traceContextProvider?.(),
      ...this.#bound,
      ...fields,
    };
    this.#write(`${JSON.stringify(record, errorReplacer)}\n`);
  }
}

function errorReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
  if (typeof value === 'bigint') return value.toString();
  return value;
}
