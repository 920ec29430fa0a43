"""The on-demand expression language of docs/registry.md, evaluated offline.

The feature-service evaluates the same expression text online (TypeScript). This module parses the text
with Python's `ast` but accepts only the registry's grammar, and evaluates it with IEEE double semantics
as JavaScript does (a division by zero gives ±Infinity or NaN instead of raising; NaN propagates through
min/max; pow follows Math.pow's special cases), so a non-finite result can fall back to the feature's
default exactly as it does online.

Grammar: decimal numbers, identifiers, + - * /, unary -, parentheses, and calls of
min(a, b, ...), max(a, b, ...), abs(x), sqrt(x), log(x), log1p(x), exp(x), pow(x, y).
"""

import ast
import math
import re

import numpy as np

_DECIMAL = re.compile(r"^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

_BINARY_OPERATORS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}


class ExpressionError(ValueError):
    """The expression text is outside the registry's grammar (or names something unknown)."""


def _js_min(*args: float) -> float:
    if any(math.isnan(a) for a in args):
        return math.nan
    result = args[0]
    for a in args[1:]:
        # Math.min treats -0 as smaller than +0.
        if a < result or (a == 0 and result == 0 and math.copysign(1, a) < 0):
            result = a
    return result


def _js_max(*args: float) -> float:
    if any(math.isnan(a) for a in args):
        return math.nan
    result = args[0]
    for a in args[1:]:
        if a > result or (a == 0 and result == 0 and math.copysign(1, a) > 0):
            result = a
    return result


def _js_pow(x: float, y: float) -> float:
    # C's pow(1, NaN) is 1 and pow(±1, ±Inf) is 1; Math.pow gives NaN for both.
    if math.isnan(y) or (abs(x) == 1 and math.isinf(y)):
        return math.nan
    with np.errstate(all="ignore"):
        return float(np.power(np.float64(x), np.float64(y)))


def _unary(function):
    def apply(x: float) -> float:
        with np.errstate(all="ignore"):
            return float(function(np.float64(x)))

    return apply


# name → (implementation, minimum arity, maximum arity or None for variadic)
FUNCTIONS = {
    "min": (_js_min, 1, None),
    "max": (_js_max, 1, None),
    "abs": (_unary(np.abs), 1, 1),
    "sqrt": (_unary(np.sqrt), 1, 1),
    "log": (_unary(np.log), 1, 1),
    "log1p": (_unary(np.log1p), 1, 1),
    "exp": (_unary(np.exp), 1, 1),
    "pow": (_js_pow, 2, 2),
}


def _divide(a: float, b: float) -> float:
    with np.errstate(all="ignore"):
        return float(np.float64(a) / np.float64(b))


class Expression:
    """A parsed, validated expression. `identifiers` lists the names it reads, in first-use order."""

    def __init__(self, text: str):
        self.text = text
        try:
            tree = ast.parse(text.strip(), mode="eval")
        except SyntaxError as error:
            raise ExpressionError(f"cannot parse {text!r}: {error.msg}") from None
        self._source = text.strip()
        self.identifiers: list[str] = []
        self._check(tree.body)
        self._tree = tree.body

    def _check(self, node: ast.AST) -> None:
        if isinstance(node, ast.BinOp):
            if type(node.op) not in _BINARY_OPERATORS:
                raise ExpressionError(f"operator {type(node.op).__name__} is not allowed in {self.text!r}")
            self._check(node.left)
            self._check(node.right)
        elif isinstance(node, ast.UnaryOp):
            if not isinstance(node.op, ast.USub):
                raise ExpressionError(f"only unary minus is allowed, in {self.text!r}")
            self._check(node.operand)
        elif isinstance(node, ast.Constant):
            literal = ast.get_source_segment(self._source, node) or ""
            if isinstance(node.value, bool) or not isinstance(node.value, (int, float)) or not _DECIMAL.match(literal):
                raise ExpressionError(f"{literal or node.value!r} is not a decimal number, in {self.text!r}")
        elif isinstance(node, ast.Name):
            if not _IDENTIFIER.match(node.id):
                raise ExpressionError(f"{node.id!r} is not an identifier, in {self.text!r}")
            if node.id in FUNCTIONS:
                raise ExpressionError(f"{node.id!r} is a function and must be called, in {self.text!r}")
            if node.id not in self.identifiers:
                self.identifiers.append(node.id)
        elif isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
                name = node.func.id if isinstance(node.func, ast.Name) else ast.dump(node.func)
                raise ExpressionError(f"unknown function {name!r} in {self.text!r}")
            if node.keywords or any(isinstance(a, ast.Starred) for a in node.args):
                raise ExpressionError(f"{node.func.id}() takes plain positional arguments, in {self.text!r}")
            _, lowest, highest = FUNCTIONS[node.func.id]
            count = len(node.args)
            if count < lowest or (highest is not None and count > highest):
                raise ExpressionError(f"{node.func.id}() cannot take {count} argument(s), in {self.text!r}")
            for argument in node.args:
                self._check(argument)
        else:
            raise ExpressionError(f"{type(node).__name__} is not allowed in {self.text!r}")

    def evaluate(self, values: dict[str, float]) -> float:
        """The expression's value in IEEE double arithmetic; may be NaN or ±Infinity."""
        return self._evaluate(self._tree, values)

    def _evaluate(self, node: ast.AST, values: dict[str, float]) -> float:
        if isinstance(node, ast.BinOp):
            a = self._evaluate(node.left, values)
            b = self._evaluate(node.right, values)
            if isinstance(node.op, ast.Add):
                return a + b
            if isinstance(node.op, ast.Sub):
                return a - b
            if isinstance(node.op, ast.Mult):
                return a * b
            return _divide(a, b)
        if isinstance(node, ast.UnaryOp):
            return -self._evaluate(node.operand, values)
        if isinstance(node, ast.Constant):
            return float(node.value)
        if isinstance(node, ast.Name):
            if node.id not in values:
                raise ExpressionError(f"no value for {node.id!r} in {self.text!r}")
            return float(values[node.id])
        assert isinstance(node, ast.Call)
        function, _, _ = FUNCTIONS[node.func.id]
        return float(function(*(self._evaluate(a, values) for a in node.args)))
