import { ExpressionError, compileExpression } from './expression';

const run = (text: string, vars: Record<string, number> = {}) =>
  compileExpression(text).evaluate((n) => vars[n]!);

describe('on-demand expressions', () => {
  it.each([
    ['1 + 2 * 3', {}, 7],
    ['(1 + 2) * 3', {}, 9],
    ['-x - -2', { x: 5 }, -3],
    ['8 / 2 / 2', {}, 2],
    ['10 - 4 - 3', {}, 3],
    ['amount / max(annual_inc, 1)', { amount: 500, annual_inc: 0 }, 500],
    ['min(3, x, 2)', { x: 1 }, 1],
    ['pow(2, 10) + abs(-1) + sqrt(16)', {}, 1029],
    ['log(exp(2)) + log1p(0)', {}, 2],
    ['1.5e2 + .5', {}, 150.5],
  ])('%s = %p', (text, vars, expected) => {
    expect(run(text, vars)).toBeCloseTo(expected as number, 12);
  });

  it('lists the identifiers it reads, each once', () => {
    expect(compileExpression('a + b * a + max(c, 1)').identifiers).toEqual(['a', 'b', 'c']);
  });

  it('gives non-finite results back as such (the caller applies the default)', () => {
    expect(run('1 / x', { x: 0 })).toBe(Infinity);
    expect(run('log(x)', { x: -1 })).toBeNaN();
  });

  it.each([
    ['1 +', /unexpected end of expression at character 4/],
    ['foo(1)', /unknown function 'foo'/],
    ['pow(1)', /pow\(\) takes 2 argument\(s\), got 1/],
    ['max()', /max\(\) takes at least 1 argument/],
    ['a b', /unexpected text after the expression at character 3/],
    ['a; drop table x', /unexpected character ';'/],
    ['(1 + 2', /expected '\)'/],
  ])('refuses %p', (text, message) => {
    expect(() => compileExpression(text)).toThrow(ExpressionError);
    expect(() => compileExpression(text)).toThrow(message);
  });
});
