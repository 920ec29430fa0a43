import fs from 'node:fs';
import { parse as parseYaml } from 'yaml';

/** Methods a policy may name: fully-qualified service name → its method names. */
export type KnownMethods = ReadonlyMap<string, ReadonlySet<string>>;

/** One allowed-method pattern: `*`, `package.Service/*` or `package.Service/Method`. */
type Pattern = { service: '*' } | { service: string; method: '*' | string };

/** The result of asking the policy about one call. */
export interface PolicyDecision {
  allowed: boolean;
  /** The name the policy knows the caller by (undefined when it lists none of the caller's names). */
  listedAs: string | undefined;
}

function problem(file: string, field: string, text: string): Error {
  return new Error(`${file}: ${field}: ${text}`);
}

function parsePattern(raw: unknown, file: string, field: string, known: KnownMethods): Pattern {
  if (typeof raw !== 'string' || raw.trim() === '') {
    throw problem(
      file,
      field,
      'expected a method such as "tally.model.v1.ScoringService/Score", "Service/*" or "*"',
    );
  }
  const text = raw.trim().replace(/^\//, '');
  if (text === '*') return { service: '*' };
  const slash = text.indexOf('/');
  if (slash <= 0 || slash === text.length - 1 || text.indexOf('/', slash + 1) !== -1) {
    throw problem(file, field, `'${text}' is not "package.Service/Method", "package.Service/*" or "*"`);
  }
  const service = text.slice(0, slash);
  const method = text.slice(slash + 1);
  const methods = known.get(service);
  if (methods === undefined) {
    throw problem(file, field, `unknown service '${service}' (known: ${[...known.keys()].join(', ')})`);
  }
  if (method !== '*' && !methods.has(method)) {
    throw problem(file, field, `${service} has no method '${method}' (it has: ${[...methods].join(', ')})`);
  }
  return { service, method };
}

function matches(pattern: Pattern, service: string, method: string): boolean {
  if (pattern.service === '*') return true;
  if (pattern.service !== service) return false;
  return !('method' in pattern) || pattern.method === '*' || pattern.method === method;
}

/**
 * The authorization policy of AUTHZ_POLICY_FILE (docs/security.md): which caller identity may call
 * which methods. Everything not allowed is refused. Validated once at start-up against the methods
 * Tally's contracts define, so a typo stops start-up with the file and field named.
 *
 *   callers:
 *     checkout:
 *       allow: [tally.model.v1.ScoringService/Score, tally.feature.v1.FeatureService/GetFeatureVectors]
 *     platform:
 *       allow: ["*"]
 */
export class AuthzPolicy {
  readonly #callers: ReadonlyMap<string, readonly Pattern[]>;

  private constructor(
    readonly path: string,
    callers: Map<string, Pattern[]>,
  ) {
    this.#callers = callers;
  }

  static load(file: string, known: KnownMethods): AuthzPolicy {
    return AuthzPolicy.parse(fs.readFileSync(file, 'utf8'), known, file);
  }

  static parse(text: string, known: KnownMethods, file = '(policy)'): AuthzPolicy {
    let doc: unknown;
    try {
      doc = parseYaml(text);
    } catch (err) {
      throw problem(file, '(file)', `not valid YAML: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
      throw problem(file, '(file)', 'expected a mapping with a "callers" key');
    }
    for (const key of Object.keys(doc)) {
      if (key !== 'callers') throw problem(file, key, 'unknown key (the policy has only "callers")');
    }
    const callersRaw = (doc as { callers?: unknown }).callers;
    if (typeof callersRaw !== 'object' || callersRaw === null || Array.isArray(callersRaw)) {
      throw problem(file, 'callers', 'expected a mapping of caller identity → { allow: [methods] }');
    }
    const callers = new Map<string, Pattern[]>();
    for (const [identity, entry] of Object.entries(callersRaw)) {
      const field = `callers.${identity}`;
      if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
        throw problem(file, field, 'expected a mapping with an "allow" list');
      }
      for (const key of Object.keys(entry)) {
        if (key !== 'allow')
          throw problem(file, `${field}.${key}`, 'unknown key (a caller has only "allow")');
      }
      const allow = (entry as { allow?: unknown }).allow;
      if (!Array.isArray(allow)) throw problem(file, `${field}.allow`, 'expected a list of methods');
      callers.set(
        identity,
        allow.map((raw, i) => parsePattern(raw, file, `${field}.allow[${i}]`, known)),
      );
    }
    return new AuthzPolicy(file, callers);
  }

  /** The identities the policy lists. */
  get callers(): string[] {
    return [...this.#callers.keys()];
  }

  /**
   * Whether a caller proving `names` may call `path` ("/package.Service/Method"). The first of the
   * caller's names that the policy lists decides.
   */
  decide(names: readonly string[], path: string): PolicyDecision {
    const listedAs = names.find((n) => this.#callers.has(n));
    if (listedAs === undefined) return { allowed: false, listedAs };
    const trimmed = path.replace(/^\//, '');
    const slash = trimmed.indexOf('/');
    const service = trimmed.slice(0, slash);
    const method = trimmed.slice(slash + 1);
    return { allowed: this.#callers.get(listedAs)!.some((p) => matches(p, service, method)), listedAs };
  }
}
