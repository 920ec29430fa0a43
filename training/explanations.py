"""What the model-server needs to explain the demo scores, and what the parity test checks it against.

Called by train.py after the ONNX exports. Writes:
  models/credit_risk/1/xgboost.json      the trees version's native xgboost model (JSON), beside its
                                         ONNX export: the model-server computes TreeSHAP from it, and
                                         anyone can reload it in xgboost to check a served explanation;
  models/credit_risk/2/baseline.json     the MLP's baseline vector for sampling Shapley (the training
                                         split's column means, float32);
  training/reference/credit_risk_contribs.jsonl
                                         for each reference row: xgboost's own pred_contribs (SHAP values
                                         per column, and the bias) and the margin, for the parity test.
It also supplies the `reasons:` block of the model config (the reason-code map of credit_risk).
Formats: docs/explanations.md.
"""

import json
from pathlib import Path

import numpy as np
import xgboost


def write_xgboost_model(booster, path: Path) -> None:
    """The booster's JSON model exactly as xgboost serialises it (deterministic for a given booster)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(booster.save_raw("json"))


def write_baseline(path: Path, columns: list[str], x_train: np.ndarray) -> np.ndarray:
    """The training split's column means, float32: the "average applicant" the MLP's reasons compare with."""
    baseline = x_train.astype(np.float64).mean(axis=0).astype(np.float32)
    document = {
        "description": "credit_risk v2 sampling-Shapley baseline: mean of each column over the training split (float32)",
        "columns": columns,
        "values": [float(v) for v in baseline],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=1) + "\n")
    return baseline


def write_contribs_reference(path: Path, booster, applicant_ids, matrix: np.ndarray) -> float:
    """xgboost's pred_contribs and margin for each reference row; returns max |sum + bias - margin|."""
    data = xgboost.DMatrix(matrix)
    contribs = booster.predict(data, pred_contribs=True)
    margins = booster.predict(data, output_margin=True)
    width = matrix.shape[1]
    worst = float(np.max(np.abs(contribs.astype(np.float64).sum(axis=1) - margins.astype(np.float64))))
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w") as handle:
        for applicant_id, row, margin in zip(applicant_ids, contribs, margins):
            handle.write(
                json.dumps(
                    {
                        "applicant_id": int(applicant_id),
                        "contributions": [float(v) for v in row[:width]],
                        "bias": float(row[width]),
                        "margin": float(margin),
                    },
                    separators=(",", ":"),
                )
                + "\n"
            )
    return worst


# The reason-code map of credit_risk: every feature of the feature set in exactly one code. Texts are the
# plain-language sentences an adverse-action notice can carry.
REASON_CODES = [
    ("R01", ["amount"], "The amount requested is high"),
    ("R02", ["term"], "The loan term is long"),
    ("R03", ["int_rate"], "The interest rate of this offer is high"),
    ("R04", ["sub_grade"], "The risk grade of this offer is low"),
    ("R05", ["annual_inc", "log_annual_inc"], "Income is low"),
    ("R06", ["emp_length"], "Time in current employment is short or unknown"),
    ("R07", ["verification_status"], "Income has not been verified"),
    ("R08", ["delinq_2yrs"], "Payments 30 or more days late in the last two years"),
    ("R09", ["inq_last_6mths", "inq_last_12m", "inq_fi"], "Too many recent credit inquiries"),
    ("R10", ["revol_util"], "Revolving credit is used heavily relative to its limits"),
    ("R11", ["acc_now_delinq", "delinq_amnt"], "Accounts are currently past due"),
    ("R12", ["open_il_6m", "open_il_12m", "open_il_24m"], "Several installment loans were opened recently"),
    ("R13", ["total_bal_il", "il_balance_to_income"], "Installment balances are high relative to income"),
    ("R14", ["all_util"], "Balances are high relative to credit limits"),
    ("R15", ["num_il_tl", "total_il_high_credit_limit"], "Number or size of installment loans"),
    ("R16", ["loan_to_income"], "The amount requested is high relative to income"),
    ("R17", ["monthly_payment", "payment_to_income"], "The monthly payment is high relative to income"),
    ("R18", ["il_utilisation"], "Little of the installment loans has been repaid"),
]


def reasons_yaml() -> str:
    """The `reasons:` block of models/credit_risk/config.yaml (format: docs/model-repository.md)."""
    lines = [
        "reasons:                        # adverse-action reason codes (docs/explanations.md)",
        "  top_n: 4                      # at most 4 reasons, those that raise P(bad) most",
        "  always: false                 # only when the request sets include_reasons",
        "  permutations: 32              # sampling Shapley (v2, the MLP): permutations per row",
        "  seed: 20160101",
        "  codes:",
    ]
    for code, features, text in REASON_CODES:
        lines.append(f"    - code: {code}")
        lines.append(f"      features: [{', '.join(features)}]")
        lines.append(f"      text: {text}")
    return "\n".join(lines) + "\n"
