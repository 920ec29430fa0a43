"""Tests of the training-side vector encoding against the registry rules (docs/registry.md).

    /usr/bin/python3 -m unittest discover -s training
"""

import sys
import tempfile
import textwrap
import unittest
from pathlib import Path

import numpy as np

sys.dont_write_bytecode = True

from feature_registry import RegistryError, encode_row, load_feature_set  # noqa: E402

REGISTRY = """\
entities:
  - {name: person, join_key: person_id, type: int}
feature_views:
  - name: profile
    entity: person
    features:
      - {name: income, type: float, default: 1000}
      - {name: open_loans, type: int, default: 0}
      - {name: homeowner, type: bool, default: false}
      - {name: band, type: categorical, levels: [low, mid, high], encoding: ordinal, default: mid}
      - {name: colour, type: categorical, levels: [red, blue], encoding: one_hot, default: blue}
on_demand_features:
  - {name: ratio, type: float, default: -1, expression: amount / income}
  - {name: huge, type: float, default: 7, expression: amount * 1e300}
feature_sets:
  - name: demo
    entities: [person]
    context:
      - {name: amount, type: float, required: true}
      - {name: grade, type: categorical, levels: [A, B], encoding: ordinal, required: false, default: B}
    features:
      - context.grade
      - profile.colour
      - profile.band
      - profile.homeowner
      - profile.open_loans
      - profile.income
      - context.amount
      - on_demand.ratio
      - on_demand.huge
"""


class EncodingTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.directory = tempfile.TemporaryDirectory()
        Path(cls.directory.name, "demo.yaml").write_text(REGISTRY)
        cls.feature_set = load_feature_set(Path(cls.directory.name), "demo")

    @classmethod
    def tearDownClass(cls):
        cls.directory.cleanup()

    def test_columns_follow_the_feature_set_order_with_one_hot_expanded(self):
        self.assertEqual(
            self.feature_set.columns,
            ["grade", "colour=red", "colour=blue", "band", "homeowner", "open_loans", "income", "amount", "ratio", "huge"],
        )

    def test_present_values(self):
        stored = {"income": "400", "open_loans": "3", "homeowner": True, "band": "high", "colour": "red"}
        vector = encode_row(self.feature_set, {"amount": 0.1, "grade": "A"}, stored)
        self.assertEqual(vector.dtype, np.float32)
        self.assertEqual(vector[:8].tolist(), [0, 1, 0, 2, 1, 3, 400, np.float32(0.1)])
        # The ratio is computed in double from the double inputs, then rounded once to float32.
        self.assertEqual(vector[8], np.float32(0.1 / 400))
        # amount * 1e300 overflows float32 (not double): the default applies.
        self.assertEqual(vector[9], 7)

    def test_missing_values_and_unknown_levels_take_the_defaults(self):
        stored = {"income": None, "open_loans": None, "homeowner": None, "band": "gone", "colour": None}
        vector = encode_row(self.feature_set, {"amount": 500.0}, stored)
        self.assertEqual(vector.tolist()[:8], [1, 0, 1, 1, 0, 0, 1000, 500])
        self.assertEqual(vector[8], np.float32(0.5))  # 500 / default income 1000

    def test_non_finite_expression_result_takes_the_default(self):
        stored = {"income": "0", "open_loans": "0", "homeowner": False, "band": "low", "colour": "red"}
        self.assertEqual(encode_row(self.feature_set, {"amount": 1.0}, stored)[8], -1)  # 1 / 0

    def test_context_is_checked(self):
        with self.assertRaisesRegex(RegistryError, "context.amount"):
            encode_row(self.feature_set, {}, {})
        with self.assertRaisesRegex(RegistryError, "context.grade"):
            encode_row(self.feature_set, {"amount": 1.0, "grade": "Z"}, {})

    def test_expressions_may_only_read_numeric_features_of_the_set(self):
        Path(self.directory.name, "bad.yaml").write_text(
            textwrap.dedent(
                """\
                on_demand_features:
                  - {name: bad, type: float, default: 0, expression: band + 1}
                feature_sets:
                  - {name: broken, entities: [person], features: [profile.band, on_demand.bad]}
                """
            )
        )
        try:
            with self.assertRaisesRegex(RegistryError, "'band'"):
                load_feature_set(Path(self.directory.name), "broken")
        finally:
            Path(self.directory.name, "bad.yaml").unlink()


if __name__ == "__main__":
    unittest.main()
