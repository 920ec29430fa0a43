"""Tests of the offline expression evaluator: the registry's grammar only, JavaScript's IEEE semantics.

    /usr/bin/python3 -m unittest discover -s training
"""

import math
import sys
import unittest

sys.dont_write_bytecode = True

from expression import Expression, ExpressionError  # noqa: E402


class GrammarTest(unittest.TestCase):
    def test_accepts_the_registry_grammar(self):
        expression = Expression("amount * (rate / 1200) / (1 - pow(1 + rate / 1200, -term)) + max(a, 1, .5e1)")
        self.assertEqual(expression.identifiers, ["amount", "rate", "term", "a"])

    def test_rejects_everything_else(self):
        for text in [
            "a ** 2",  # power operator
            "a // 2",
            "a % 2",
            "+a",  # only unary minus
            "a < b",
            "a if b else c",
            "a.b",
            "a[0]",
            "__import__('os')",
            "open('x')",
            "max(a, key=b)",
            "max(*a)",
            "pow(a)",  # arity
            "abs(a, b)",
            "min()",
            "0x10",  # not decimal
            "1_000",
            "True",
            "'text'",
            "lambda: 1",
            "max",  # a function used as a value
            "a b",
            "",
        ]:
            with self.subTest(text=text), self.assertRaises(ExpressionError):
                Expression(text)

    def test_names_a_missing_identifier(self):
        with self.assertRaisesRegex(ExpressionError, "'income'"):
            Expression("amount / income").evaluate({"amount": 1.0})


class SemanticsTest(unittest.TestCase):
    def value(self, text, **values):
        return Expression(text).evaluate({k: float(v) for k, v in values.items()})

    def test_precedence_and_associativity(self):
        self.assertEqual(self.value("a - b - c", a=10, b=3, c=2), 5)
        self.assertEqual(self.value("a / b / c", a=12, b=3, c=2), 2)
        self.assertEqual(self.value("-a * b + c", a=2, b=3, c=1), -5)
        self.assertEqual(self.value("a - -b", a=1, b=2), 3)

    def test_division_by_zero_gives_infinity_or_nan_instead_of_raising(self):
        self.assertEqual(self.value("a / b", a=1, b=0), math.inf)
        self.assertEqual(self.value("-a / b", a=1, b=0), -math.inf)
        self.assertTrue(math.isnan(self.value("a / b", a=0, b=0)))

    def test_functions_follow_ieee_like_math_in_javascript(self):
        self.assertTrue(math.isnan(self.value("log(a)", a=-1)))
        self.assertEqual(self.value("log(a)", a=0), -math.inf)
        self.assertTrue(math.isnan(self.value("sqrt(a)", a=-4)))
        self.assertEqual(self.value("exp(a)", a=1000), math.inf)
        self.assertEqual(self.value("log1p(a)", a=0), 0)
        self.assertTrue(math.isnan(self.value("pow(a, b)", a=-8, b=1 / 3)))
        self.assertTrue(math.isnan(self.value("pow(a, b)", a=1, b=math.nan)))  # C's pow says 1
        self.assertTrue(math.isnan(self.value("max(a, b)", a=math.nan, b=1)))
        self.assertTrue(math.isnan(self.value("min(a, b)", a=1, b=math.nan)))
        self.assertEqual(math.copysign(1, self.value("max(a, b)", a=-0.0, b=0)), 1)
        self.assertEqual(math.copysign(1, self.value("min(a, b)", a=0, b=-0.0)), -1)

    def test_annuity_payment(self):
        payment = self.value(
            "amount * (rate / 1200) / (1 - pow(1 + rate / 1200, -term))", amount=10000, rate=12, term=36
        )
        monthly = 0.01
        self.assertAlmostEqual(payment, 10000 * monthly / (1 - (1 + monthly) ** -36), places=9)


if __name__ == "__main__":
    unittest.main()
