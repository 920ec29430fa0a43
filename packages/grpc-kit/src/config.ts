/**
 * Configuration from environment variables, declared once per service as a spec and validated once
 * at start-up. Every variable has a description, a default and an "allowed" text; a bad value fails
 * start-up with a ConfigError that names each offending variable and what it allows.
 *
 * The spec is also the single source of truth for documentation and deployment checks: services
 * export theirs, READMEs, Helm values and docker-compose are checked against it.
 */
export interface EnvVar<T> {
  /** What the variable does, for docs. */
  readonly description: string;
  /** Human text of the accepted values, e.g. "an integer from 0 to 65535". */
  readonly allowed: string;
  /** Default when unset or empty; `undefined` makes the variable required. */
  readonly defaultValue: T | undefined;
  /** Default as written in docs (raw text). */
  readonly defaultText: string;
  /** Parses a raw value; returns undefined when the value is not allowed. */
  parse(raw: string): T | undefined;
}

export type ConfigSpec = Record<string, EnvVar<unknown>>;
export type ConfigOf<S extends ConfigSpec> = {
  readonly [K in keyof S]: S[K] extends EnvVar<infer T> ? T : never;
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

function make<T>(
  description: string,
  allowed: string,
  defaultValue: T | undefined,
  parse: (raw: string) => T | undefined,
  defaultText?: string,
): EnvVar<T> {
  return {
    description,
    allowed,
    defaultValue,
    defaultText: defaultText ?? (defaultValue === undefined ? '(required)' : String(defaultValue)),
    parse,
  };
}

function parseInteger(raw: string, min: number, max: number): number | undefined {
  if (!/^-?\d+$/.test(raw.trim())) return undefined;
  const n = Number(raw.trim());
  return Number.isSafeInteger(n) && n >= min && n <= max ? n : undefined;
}

/** Constructors for typed variables. */
export const env = {
  integer(description: string, defaultValue: number | undefined, min: number, max: number): EnvVar<number> {
    return make(description, `an integer from ${min} to ${max}`, defaultValue, (raw) =>
      parseInteger(raw, min, max),
    );
  },
  /** A TCP port; `zeroMeans` (e.g. "any free port") allows 0 and says what it does. */
  port(description: string, defaultValue: number | undefined, zeroMeans?: string): EnvVar<number> {
    const min = zeroMeans === undefined ? 1 : 0;
    return make(
      description,
      `a TCP port from ${min} to 65535${zeroMeans === undefined ? '' : ` (0 = ${zeroMeans})`}`,
      defaultValue,
      (raw) => parseInteger(raw, min, 65535),
    );
  },
  string(description: string, defaultValue: string | undefined, allowed = 'any text'): EnvVar<string> {
    return make(description, allowed, defaultValue, (raw) => raw);
  },
  oneOf<T extends string>(description: string, defaultValue: T | undefined, values: readonly T[]): EnvVar<T> {
    return make(description, `one of ${values.join(', ')}`, defaultValue, (raw) =>
      (values as readonly string[]).includes(raw) ? (raw as T) : undefined,
    );
  },
  boolean(description: string, defaultValue: boolean | undefined): EnvVar<boolean> {
    return make(description, 'true or false', defaultValue, (raw) =>
      raw === 'true' || raw === '1' ? true : raw === 'false' || raw === '0' ? false : undefined,
    );
  },
  /** A host:port address (or a comma-separated list when `list` is set). */
  address(description: string, defaultValue: string | undefined): EnvVar<string> {
    return make(description, 'host:port', defaultValue, (raw) =>
      /^[A-Za-z0-9.\-_[\]:]+:\d{1,5}$/.test(raw) || /^(dns|ipv4|ipv6|unix):/.test(raw) ? raw : undefined,
    );
  },
  /** An optional file path: empty (the default) = not set. */
  file(description: string): EnvVar<string> {
    return make(description, 'a file path, or empty', '', (raw) => raw, '(none)');
  },
  custom<T>(
    description: string,
    allowed: string,
    defaultValue: T | undefined,
    parse: (raw: string) => T | undefined,
    defaultText?: string,
  ): EnvVar<T> {
    return make(description, allowed, defaultValue, parse, defaultText);
  },
};

/** Reads and validates every variable of `spec`; throws one ConfigError listing all problems. */
export function loadConfig<S extends ConfigSpec>(
  spec: S,
  source: NodeJS.ProcessEnv = process.env,
): ConfigOf<S> {
  const problems: string[] = [];
  const out: Record<string, unknown> = {};
  for (const [name, variable] of Object.entries(spec)) {
    const raw = source[name];
    if (raw === undefined || raw === '') {
      if (variable.defaultValue === undefined)
        problems.push(`${name} is required: expected ${variable.allowed}`);
      out[name] = variable.defaultValue;
      continue;
    }
    const value = variable.parse(raw);
    if (value === undefined) {
      problems.push(`${name}=${JSON.stringify(raw)} is not allowed: expected ${variable.allowed}`);
    }
    out[name] = value;
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return out as ConfigOf<S>;
}

/** The spec as a Markdown table (variable, default, allowed, description), for READMEs. */
export function configTable(spec: ConfigSpec): string {
  const rows = Object.entries(spec).map(
    ([name, v]) => `| \`${name}\` | \`${v.defaultText}\` | ${v.allowed} | ${v.description} |`,
  );
  return ['| Variable | Default | Allowed | What it does |', '|---|---|---|---|', ...rows].join('\n');
}

/** One variable of a spec, as plain data. */
export interface EnvVarDescription {
  name: string;
  default: string;
  required: boolean;
  allowed: string;
  description: string;
}

/** The spec as plain data (what `node dist/main.js --describe-config` prints). */
export function describeConfig(spec: ConfigSpec): EnvVarDescription[] {
  return Object.entries(spec).map(([name, v]) => ({
    name,
    default: v.defaultValue === undefined ? '' : v.defaultText,
    required: v.defaultValue === undefined,
    allowed: v.allowed,
    description: v.description,
  }));
}
