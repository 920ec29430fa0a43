#!/usr/bin/python3
"""Trains the demo credit_risk models and exports them for the model-server.

    /usr/bin/python3 training/train.py

Reads data/lending_club.csv and the feature set `credit_risk` from features/*.yaml, builds the float32
matrix exactly as the feature-service encodes vectors, trains
  version 1: gradient-boosted trees (xgboost), exported to an ai.onnx.ml TreeEnsembleClassifier,
  version 2: a small MLP (sklearn), exported to a plain ONNX graph with its standardisation inside,
checks both ONNX files with onnxruntime-node against predict_proba, and writes
  models/credit_risk/config.yaml, models/credit_risk/{1,2}/model.onnx, models/credit_risk/{1,2}/schema.json,
  training/reference/credit_risk.jsonl (reference rows with expected probabilities),
  training/REPORT.md (held-out AUC, ONNX parity, sensitivity figures).
Deterministic: fixed seeds and single-threaded training, so a rerun rewrites identical files.
"""

import csv
import json
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path

import numpy as np
import onnx
import xgboost
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier

sys.dont_write_bytecode = True  # keep training/ free of __pycache__
TRAINING = Path(__file__).resolve().parent
sys.path.insert(0, str(TRAINING))

from feature_registry import encode_row, load_feature_set  # noqa: E402
from explanations import reasons_yaml, write_baseline, write_contribs_reference, write_xgboost_model  # noqa: E402
from mlp_export import export_mlp_classifier  # noqa: E402
from schema_pin import pin_schema  # noqa: E402
from tree_export import export_tree_classifier, read_trees, tree_margins  # noqa: E402

ROOT = TRAINING.parent
DATA = ROOT / "data" / "lending_club.csv"
REGISTRY = ROOT / "features"
MODEL_DIR = ROOT / "models" / "credit_risk"
REFERENCE = TRAINING / "reference" / "credit_risk.jsonl"
CONTRIBS_REFERENCE = TRAINING / "reference" / "credit_risk_contribs.jsonl"
REPORT = TRAINING / "REPORT.md"
FEATURE_SET = "credit_risk"

SEED = 20160101
TEST_FRACTION = 0.2
REFERENCE_ROWS = 200
# ONNX Runtime must reproduce predict_proba at least this closely, or the script fails.
PARITY_LIMIT = 1e-5

# How the demo file's columns become the checkout's request context. Everything else the feature set
# reads is a stored feature named exactly like its column.
CONTEXT_FROM_CSV = {
    "amount": ("funded_amnt", float),
    "term": ("term", lambda text: int(text.removeprefix("term_"))),
    "int_rate": ("int_rate", float),
    "sub_grade": ("sub_grade", str),
}


def read_applicants(feature_set):
    """Rows of the demo file as (applicant_id, context, stored values, is_bad); NA → None (= missing)."""
    applicants = []
    with DATA.open(newline="") as handle:
        for applicant_id, row in enumerate(csv.DictReader(handle), start=1):
            row = {key: (None if value in ("NA", "") else value) for key, value in row.items()}
            context = {
                name: (None if row[column] is None else convert(row[column]))
                for name, (column, convert) in CONTEXT_FROM_CSV.items()
            }
            stored = {f.name: row[f.name] for f in feature_set.stored_features()}
            applicants.append((applicant_id, context, stored, row["Class"] == "bad"))
    return applicants


def sigmoid32(margin: np.ndarray) -> np.ndarray:
    margin = margin.astype(np.float32)
    return (np.float32(1) / (np.float32(1) + np.exp(-margin))).astype(np.float32)


def train_trees(x_train, y_train):
    model = xgboost.XGBClassifier(
        n_estimators=300,
        max_depth=3,
        learning_rate=0.03,
        subsample=0.8,
        colsample_bytree=0.8,
        min_child_weight=5,
        reg_lambda=1.0,
        tree_method="exact",
        base_score=0.5,
        objective="binary:logistic",
        n_jobs=1,
        random_state=SEED,
    )
    model.fit(x_train, y_train)
    return model


def standardiser(x_train):
    mean = x_train.astype(np.float64).mean(axis=0)
    scale = x_train.astype(np.float64).std(axis=0)
    scale[scale == 0] = 1.0
    return mean.astype(np.float32), scale.astype(np.float32)


def standardise(x, mean, scale):
    # The same float32 operations as the graph's Sub and Div nodes.
    return ((x - mean) / scale).astype(np.float32)


def train_mlp(x_train, y_train, mean, scale):
    # No early stopping: sklearn stops on validation accuracy, which a 5% bad rate keeps flat from the
    # first epoch. A strong L2 penalty (alpha) does the regularising instead.
    model = MLPClassifier(
        hidden_layer_sizes=(32, 16),
        activation="relu",
        alpha=1.0,
        learning_rate_init=1e-3,
        batch_size=256,
        max_iter=200,
        random_state=SEED,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(standardise(x_train, mean, scale), y_train)
    return model


def verify_with_onnxruntime(model_path: Path, matrix: np.ndarray, expected: np.ndarray) -> dict:
    with tempfile.TemporaryDirectory() as directory:
        matrix_file = Path(directory) / "matrix.f32"
        expected_file = Path(directory) / "expected.f64"
        matrix.astype("<f4").tofile(matrix_file)
        expected.astype("<f8").tofile(expected_file)
        result = subprocess.run(
            ["node", str(TRAINING / "verify-onnx.js"), str(model_path), str(matrix_file), str(matrix.shape[0]),
             str(matrix.shape[1]), str(expected_file)],
            capture_output=True,
            text=True,
            check=False,
        )
    if result.returncode != 0:
        raise SystemExit(f"onnxruntime-node could not run {model_path}: {result.stderr.strip()}")
    report = json.loads(result.stdout)
    if not report["maxAbsDiff"] <= PARITY_LIMIT:
        raise SystemExit(f"{model_path}: ONNX Runtime differs from predict_proba by {report['maxAbsDiff']}")
    return report


def config_yaml() -> str:
    return """\
# The demo credit model. Format: docs/model-repository.md. Written by training/train.py.
feature_set: credit_risk        # vector: features/credit.yaml, feature set credit_risk
platform: onnxruntime_onnx
input: features                 # float32 [batch, width]
score_output: probabilities     # [batch, 2] = [P(good), P(bad)]
score_index: 1                  # the score is P(bad)
version_policy:                 # 1 = gradient-boosted trees, 2 = MLP; both served, 2 is the default
  latest: 2
instances: 1
batching:
  max_batch_size: 64
  max_queue_delay_microseconds: 500
  preferred_batch_size: [16, 32, 64]
  max_queue_size: 1024
  default_queue_timeout_microseconds: 1000000
  priority_levels: 2
  default_priority_level: 2
decision_policy:                # the demo models never saw a defaulted or stale stored feature in training
  max_stored_not_present: 0     # so a vector with one (e.g. an applicant the store does not hold)
  on_violation: refuse          # is refused with FAILED_PRECONDITION naming the features
"""


def expression_sensitivity(feature_set, applicants, index_of_row, models):
    """How fragile the reference rows are to the two ways the online vector could legitimately differ.

    1. The feature-service might feed expressions float32-rounded inputs instead of doubles.
    2. Its libm (V8's) may differ from glibc's by an ulp in a double result; that matters only when the
       double sits next to a float32 rounding boundary.
    """
    columns = feature_set.columns
    on_demand = [f for f in feature_set.features if f.expression is not None]
    on_demand_columns = [columns.index(f.name) for f in on_demand]

    float32_input_rows = 0
    near_boundary_values = 0
    for applicant_id, context, stored, _ in applicants:
        rounded_context = {k: (_round32(v) if isinstance(v, float) else v) for k, v in context.items()}
        rounded_stored = {k: (_round32(float(v)) if v is not None and _is_float(v) else v) for k, v in stored.items()}
        rounded = encode_row(feature_set, rounded_context, rounded_stored)
        if not np.array_equal(rounded, encode_row(feature_set, context, stored)):
            float32_input_rows += 1
    for applicant_id, context, stored, _ in applicants:
        vector = encode_row(feature_set, context, stored)
        for feature, column in zip(on_demand, on_demand_columns):
            value = float(vector[column])
            exact = _evaluate_double(feature, feature_set, context, stored)
            if not np.isfinite(exact):
                continue
            low = np.float32(exact * (1 - 1e-15)) if exact > 0 else np.float32(exact * (1 + 1e-15))
            high = np.float32(exact * (1 + 1e-15)) if exact > 0 else np.float32(exact * (1 - 1e-15))
            if low != np.float32(value) or high != np.float32(value):
                near_boundary_values += 1

    # Would a one-ulp change of any on-demand column move a reference row's score?
    moved = {version: 0 for version in models}
    for row_index in index_of_row:
        applicant_id, context, stored, _ = applicants[row_index]
        vector = encode_row(feature_set, context, stored)
        base = {version: predict(vector[None, :])[0] for version, predict in models.items()}
        worst = {version: 0.0 for version in models}
        for column in on_demand_columns:
            for direction in (np.inf, -np.inf):
                nudged = vector.copy()
                nudged[column] = np.nextafter(vector[column], np.float32(direction))
                for version, predict in models.items():
                    worst[version] = max(worst[version], abs(predict(nudged[None, :])[0] - base[version]))
        for version in models:
            if worst[version] > 1e-6:
                moved[version] += 1
    return float32_input_rows, near_boundary_values, moved


def _round32(value: float) -> float:
    return float(np.float32(value))


def _is_float(value) -> bool:
    try:
        float(value)
        return True
    except ValueError:
        return False


def _evaluate_double(feature, feature_set, context, stored) -> float:
    numeric_context = {n for n, f in feature_set.context_fields.items() if f.type != "categorical"}
    values = {k: float(v) for k, v in context.items() if k in numeric_context}
    for f in feature_set.stored_features():
        if f.type != "categorical":
            values[f.name] = float(stored[f.name]) if stored[f.name] is not None else float(f.default)
    return feature.expression.evaluate(values)


def main() -> None:
    feature_set = load_feature_set(REGISTRY, FEATURE_SET)
    columns = feature_set.columns
    applicants = read_applicants(feature_set)
    matrix = np.stack([encode_row(feature_set, context, stored) for _, context, stored, _ in applicants])
    labels = np.array([bad for *_, bad in applicants], dtype=np.int64)
    ids = np.array([applicant_id for applicant_id, *_ in applicants], dtype=np.int64)
    missing_cells = sum(v is None for _, c, s, _ in applicants for v in (*c.values(), *s.values()))
    print(f"{len(applicants)} applicants, {labels.sum()} bad, width {matrix.shape[1]}, {missing_cells} missing cells")

    train_index, test_index = train_test_split(
        np.arange(len(applicants)), test_size=TEST_FRACTION, random_state=SEED, stratify=labels
    )
    x_train, y_train = matrix[train_index], labels[train_index]
    x_test, y_test = matrix[test_index], labels[test_index]

    # Version 1: gradient-boosted trees.
    trees = train_trees(x_train, y_train)
    booster = trees.get_booster()
    tree_list, _ = read_trees(booster)
    own = sigmoid32(tree_margins(tree_list, matrix))
    xgb_all = trees.predict_proba(matrix)[:, 1].astype(np.float64)
    structure_diff = float(np.max(np.abs(own - xgb_all)))
    if structure_diff > 1e-6:
        raise SystemExit(f"the parsed trees disagree with xgboost by {structure_diff}")
    auc_trees = roc_auc_score(y_test, trees.predict_proba(x_test)[:, 1])

    # Version 2: MLP on standardised inputs.
    mean, scale = standardiser(x_train)
    mlp = train_mlp(x_train, y_train, mean, scale)
    mlp_all = mlp.predict_proba(standardise(matrix, mean, scale))[:, 1].astype(np.float64)
    auc_mlp = roc_auc_score(y_test, mlp_all[test_index])
    print(f"held-out AUC: trees {auc_trees:.4f}, MLP {auc_mlp:.4f} ({len(test_index)} rows)")

    metadata = {"feature_set": FEATURE_SET, "columns": json.dumps(columns), "score": "probabilities[:, 1] = P(bad)"}
    models = {
        "1": export_tree_classifier(
            booster,
            len(columns),
            f"credit_risk v1: xgboost {trees.n_estimators} trees, depth {trees.max_depth}; held-out AUC {auc_trees:.4f}",
            {**metadata, "held_out_auc": f"{auc_trees:.4f}"},
        ),
        "2": export_mlp_classifier(
            mlp,
            mean,
            scale,
            f"credit_risk v2: MLP {mlp.hidden_layer_sizes} {mlp.activation}; held-out AUC {auc_mlp:.4f}",
            {**metadata, "held_out_auc": f"{auc_mlp:.4f}"},
        ),
    }
    expected = {"1": xgb_all, "2": mlp_all}
    MODEL_DIR.mkdir(parents=True, exist_ok=True)
    (MODEL_DIR / "config.yaml").write_text(config_yaml() + reasons_yaml())
    parity = {}
    for version, model in models.items():
        path = MODEL_DIR / version / "model.onnx"
        path.parent.mkdir(parents=True, exist_ok=True)
        onnx.save(model, str(path))
        parity[version] = verify_with_onnxruntime(path, matrix, expected[version])
        diff = parity[version]["maxAbsDiff"]
        print(f"v{version}: {path.stat().st_size} bytes, ONNX Runtime vs predict_proba max |diff| {diff:.3g}")
    # What the model-server explains scores with (docs/explanations.md).
    write_xgboost_model(booster, MODEL_DIR / "1" / "xgboost.json")
    write_baseline(MODEL_DIR / "2" / "baseline.json", columns, x_train)
    pinned = pin_schema(REGISTRY, FEATURE_SET, columns, [MODEL_DIR / version / "schema.json" for version in models])
    print(f"schema.json pinned: feature set {pinned['feature_set']}, fingerprint {pinned['fingerprint']}")

    # Reference rows: held-out rows (fixed sample) plus every row whose income is 0 (edge of the ratios).
    rng = np.random.default_rng(SEED)
    chosen = set(rng.choice(test_index, size=REFERENCE_ROWS, replace=False).tolist())
    chosen |= {i for i, (_, _, stored, _) in enumerate(applicants) if float(stored["annual_inc"] or "nan") == 0}
    reference_index = sorted(chosen)
    held_out = set(test_index.tolist())
    REFERENCE.parent.mkdir(parents=True, exist_ok=True)
    with REFERENCE.open("w") as handle:
        for i in reference_index:
            applicant_id, context, _, bad = applicants[i]
            handle.write(
                json.dumps(
                    {
                        "applicant_id": int(ids[i]),
                        "held_out": i in held_out,
                        "class": "bad" if bad else "good",
                        "context": context,
                        "columns": columns,
                        "vector": [float(v) for v in matrix[i]],
                        "expected": {version: float(expected[version][i]) for version in models},
                    },
                    separators=(",", ":"),
                )
                + "\n"
            )

    contribs_gap = write_contribs_reference(CONTRIBS_REFERENCE, booster, ids[reference_index], matrix[reference_index])
    print(f"wrote {CONTRIBS_REFERENCE.relative_to(ROOT)}: pred_contribs sum + bias vs margin max |diff| {contribs_gap:.3g}")

    predictors = {
        "1": lambda x: trees.predict_proba(x)[:, 1].astype(np.float64),
        "2": lambda x: mlp.predict_proba(standardise(x, mean, scale))[:, 1].astype(np.float64),
    }
    float32_rows, near_boundary, moved = expression_sensitivity(feature_set, applicants, reference_index, predictors)

    sizes = {v: (MODEL_DIR / v / "model.onnx").stat().st_size for v in models}
    REPORT.write_text(
        f"""# credit_risk training report

Written by `training/train.py` (do not edit by hand). Data: `data/lending_club.csv`, {len(applicants)} applicants,
{int(labels.sum())} bad; {missing_cells} missing cells. Feature set `{FEATURE_SET}`: {len(columns)} float32 columns.
Split: stratified {int((1 - TEST_FRACTION) * 100)}/{int(TEST_FRACTION * 100)}, seed {SEED}: {len(train_index)} training rows,
{len(test_index)} held-out rows ({int(y_test.sum())} bad).

| version | model | held-out AUC | ONNX size | ONNX Runtime vs predict_proba, max abs diff (all {len(applicants)} rows, batched and one by one) |
|---|---|---|---|---|
| 1 | xgboost {xgboost.__version__}, {trees.n_estimators} trees, depth {trees.max_depth}, lr {trees.learning_rate} → TreeEnsembleClassifier (BRANCH_LT, LOGISTIC) | {auc_trees:.4f} | {sizes['1']:,} B | {parity['1']['maxAbsDiff']:.3g} |
| 2 | sklearn MLP {mlp.hidden_layer_sizes} {mlp.activation}, {mlp.n_iter_} epochs → MatMul/Add/Relu/Sigmoid graph | {auc_mlp:.4f} | {sizes['2']:,} B | {parity['2']['maxAbsDiff']:.3g} |

Reference rows: `training/reference/credit_risk.jsonl`, {len(reference_index)} rows ({REFERENCE_ROWS} held-out rows drawn
with the seed, plus every applicant with `annual_inc` = 0).

Sensitivity of the on-demand features (what could make online vectors differ from these):
- rows whose vector changes if expressions read float32-rounded inputs instead of doubles: {float32_rows} of {len(applicants)};
- on-demand values whose double result lies within ~4 double ulps of a float32 rounding boundary (where a
  different libm could flip the float32): {near_boundary} of {len(applicants) * len([f for f in feature_set.features if f.expression is not None])};
- reference rows whose score moves by more than 1e-6 when any on-demand column moves by one float32 ulp:
  {", ".join(f"v{v}: {n}" for v, n in moved.items())}.

Columns, in order: {", ".join(f"`{c}`" for c in columns)}.
"""
    )
    print(f"wrote {REFERENCE.relative_to(ROOT)} ({len(reference_index)} rows) and {REPORT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
