/**
 * The on-demand feature expression language (docs/registry.md): numbers, identifiers, + - * /, unary
 * minus, parentheses and a fixed set of functions, evaluated in IEEE double. No `eval`: the text is
 * parsed once into a tree of closures. The training script evaluates the same text offline.
 */

/** A syntax error, with the 0-based character position it was found at. */
export class ExpressionError extends Error {
  constructor(
    readonly position: number,
    problem: string,
  ) {
    super(`${problem} at character ${position + 1}`);
    this.name = 'ExpressionError';
  }
}

export interface CompiledExpression {
  /** The identifiers the expression reads, each once, in order of first use. */
  readonly identifiers: readonly string[];
  /** Computes the value; `lookup` supplies each identifier's value. */
  evaluate(lookup: (identifier: string) => number): number;
}

type Node = (lookup: (identifier: string) => number) => number;

const FUNCTIONS: Record<string, { arity: number | 'variadic'; apply: (args: number[]) => number }> = {
  min: { arity: 'variadic', apply: (args) => Math.min(...args) },
  max: { arity: 'variadic', apply: (args) => Math.max(...args) },
  abs: { arity: 1, apply: ([x]) => Math.abs(x!) },
  sqrt: { arity: 1, apply: ([x]) => Math.sqrt(x!) },
  log: { arity: 1, apply: ([x]) => Math.log(x!) },
  log1p: { arity: 1, apply: ([x]) => Math.log1p(x!) },
  exp: { arity: 1, apply: ([x]) => Math.exp(x!) },
  pow: { arity: 2, apply: ([x, y]) => Math.pow(x!, y!) },
};

/** Names of the functions the language offers. */
export const EXPRESSION_FUNCTIONS: readonly string[] = Object.keys(FUNCTIONS);

type Token =
  | { kind: 'number'; value: number; at: number }
  | { kind: 'identifier'; name: string; at: number }
  | { kind: 'symbol'; symbol: '+' | '-' | '*' | '/' | '(' | ')' | ','; at: number }
  | { kind: 'end'; at: number };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i += 1;
      continue;
    }
    const number = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(text.slice(i));
    if (number) {
      tokens.push({ kind: 'number', value: Number(number[0]), at: i });
      i += number[0].length;
      continue;
    }
    const identifier = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i));
    if (identifier) {
      tokens.push({ kind: 'identifier', name: identifier[0], at: i });
      i += identifier[0].length;
      continue;
    }
    if ('+-*/(),'.includes(c)) {
      tokens.push({ kind: 'symbol', symbol: c as '+', at: i });
      i += 1;
      continue;
    }
    throw new ExpressionError(i, `unexpected character '${c}'`);
  }
  tokens.push({ kind: 'end', at: text.length });
  return tokens;
}

/** Parses `text`; throws ExpressionError on a syntax error, unknown function or wrong arity. */
export function compileExpression(text: string): CompiledExpression {
  const tokens = tokenize(text);
  const identifiers: string[] = [];
  let pos = 0;
  const peek = (): Token => tokens[pos]!;
  const isSymbol = (symbol: string): boolean => {
    const t = peek();
    return t.kind === 'symbol' && t.symbol === symbol;
  };
  const expect = (symbol: string): void => {
    if (!isSymbol(symbol)) throw new ExpressionError(peek().at, `expected '${symbol}'`);
    pos += 1;
  };

  const parseSum = (): Node => {
    let left = parseProduct();
    while (isSymbol('+') || isSymbol('-')) {
      const minus = isSymbol('-');
      pos += 1;
      const l = left;
      const r = parseProduct();
      left = minus ? (v) => l(v) - r(v) : (v) => l(v) + r(v);
    }
    return left;
  };
  const parseProduct = (): Node => {
    let left = parseUnary();
    while (isSymbol('*') || isSymbol('/')) {
      const divide = isSymbol('/');
      pos += 1;
      const l = left;
      const r = parseUnary();
      left = divide ? (v) => l(v) / r(v) : (v) => l(v) * r(v);
    }
    return left;
  };
  const parseUnary = (): Node => {
    if (isSymbol('-')) {
      pos += 1;
      const operand = parseUnary();
      return (v) => -operand(v);
    }
    return parsePrimary();
  };
  const parsePrimary = (): Node => {
    const t = peek();
    if (t.kind === 'number') {
      pos += 1;
      const value = t.value;
      return () => value;
    }
    if (t.kind === 'identifier') {
      pos += 1;
      if (isSymbol('(')) return parseCall(t.name, t.at);
      const name = t.name;
      if (!identifiers.includes(name)) identifiers.push(name);
      return (v) => v(name);
    }
    if (isSymbol('(')) {
      pos += 1;
      const inner = parseSum();
      expect(')');
      return inner;
    }
    throw new ExpressionError(t.at, t.kind === 'end' ? 'unexpected end of expression' : 'expected a value');
  };
  const parseCall = (name: string, at: number): Node => {
    const fn = FUNCTIONS[name];
    if (fn === undefined) {
      throw new ExpressionError(at, `unknown function '${name}' (known: ${EXPRESSION_FUNCTIONS.join(', ')})`);
    }
    expect('(');
    const args: Node[] = [];
    if (!isSymbol(')')) {
      args.push(parseSum());
      while (isSymbol(',')) {
        pos += 1;
        args.push(parseSum());
      }
    }
    expect(')');
    if (fn.arity === 'variadic' ? args.length === 0 : args.length !== fn.arity) {
      const wanted = fn.arity === 'variadic' ? 'at least 1 argument' : `${fn.arity} argument(s)`;
      throw new ExpressionError(at, `${name}() takes ${wanted}, got ${args.length}`);
    }
    return (v) => fn.apply(args.map((a) => a(v)));
  };

  const root = parseSum();
  if (peek().kind !== 'end') throw new ExpressionError(peek().at, 'unexpected text after the expression');
  return { identifiers, evaluate: (lookup) => root(lookup) };
}
