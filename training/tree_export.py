"""Exports a binary xgboost model to an ONNX ai.onnx.ml TreeEnsembleClassifier, by hand (no skl2onnx here).

XGBoost sends a row to the left child when `value < split_condition` (both float32), which is ONNX's
BRANCH_LT with float32 thresholds; a missing (NaN) value follows `default_left`, which is
`nodes_missing_value_tracks_true`. The leaf values are summed with the base margin and passed through
the logistic function (post_transform LOGISTIC); with the weights on one class and two class labels,
ONNX Runtime emits probabilities [N, 2] = [1 - p, p]. No ZipMap: outputs are `label` [N] int64 and
`probabilities` [N, 2] float32.
"""

import json

import numpy as np
from onnx import TensorProto, helper

from onnx_model import finish_model


class TreeExportError(ValueError):
    pass


def read_trees(booster) -> tuple[list[dict], float]:
    """The booster's trees (xgboost's JSON model) and its base margin."""
    model = json.loads(booster.save_raw("json").decode("utf-8"))
    learner = model["learner"]
    objective = learner["objective"]["name"]
    if objective != "binary:logistic":
        raise TreeExportError(f"objective {objective!r} is not binary:logistic")
    base_score = np.float32(float(learner["learner_model_param"]["base_score"]))
    if base_score != np.float32(0.5):
        # xgboost turns base_score into a margin in float32; 0.5 is margin 0 exactly, which keeps
        # the ONNX graph and predict_proba identical. Anything else would need xgboost's rounding.
        raise TreeExportError(f"base_score {base_score} is not 0.5")
    booster_model = learner["gradient_booster"]["model"]
    if learner["gradient_booster"]["name"] != "gbtree":
        raise TreeExportError("only gbtree boosters are exported")
    return booster_model["trees"], 0.0


def tree_margins(trees: list[dict], matrix: np.ndarray) -> np.ndarray:
    """Sum of leaf values per row, evaluated from the exported structure (a check on the export)."""
    total = np.zeros(matrix.shape[0], dtype=np.float32)
    rows = np.arange(matrix.shape[0])
    for tree in trees:
        left = np.array(tree["left_children"], dtype=np.int64)
        right = np.array(tree["right_children"], dtype=np.int64)
        feature = np.array(tree["split_indices"], dtype=np.int64)
        condition = np.array(tree["split_conditions"], dtype=np.float32)
        node = np.zeros(matrix.shape[0], dtype=np.int64)
        while True:
            internal = left[node] != -1
            if not internal.any():
                break
            go_left = matrix[rows, feature[node]] < condition[node]
            node = np.where(internal, np.where(go_left, left[node], right[node]), node)
        total += condition[node]
    return total


def export_tree_classifier(booster, width: int, doc: str, metadata: dict[str, str]):
    trees, base_margin = read_trees(booster)
    nodes = {
        "treeids": [],
        "nodeids": [],
        "featureids": [],
        "values": [],
        "modes": [],
        "truenodeids": [],
        "falsenodeids": [],
        "missing_tracks_true": [],
    }
    leaves = {"treeids": [], "nodeids": [], "weights": []}
    for tree_id, tree in enumerate(trees):
        left = tree["left_children"]
        right = tree["right_children"]
        for node_id in range(len(left)):
            is_leaf = left[node_id] == -1
            value = float(np.float32(tree["split_conditions"][node_id]))
            nodes["treeids"].append(tree_id)
            nodes["nodeids"].append(node_id)
            nodes["featureids"].append(0 if is_leaf else int(tree["split_indices"][node_id]))
            nodes["values"].append(0.0 if is_leaf else value)
            nodes["modes"].append("LEAF" if is_leaf else "BRANCH_LT")
            nodes["truenodeids"].append(0 if is_leaf else int(left[node_id]))
            nodes["falsenodeids"].append(0 if is_leaf else int(right[node_id]))
            nodes["missing_tracks_true"].append(0 if is_leaf else int(tree["default_left"][node_id]))
            if is_leaf:
                leaves["treeids"].append(tree_id)
                leaves["nodeids"].append(node_id)
                leaves["weights"].append(value)
        if any(f >= width for f in tree["split_indices"]):
            raise TreeExportError(f"tree {tree_id} splits on a feature index ≥ {width}")

    classifier = helper.make_node(
        "TreeEnsembleClassifier",
        inputs=["features"],
        outputs=["label", "probabilities"],
        domain="ai.onnx.ml",
        name="credit_trees",
        classlabels_int64s=[0, 1],
        post_transform="LOGISTIC",
        base_values=[base_margin],
        nodes_treeids=nodes["treeids"],
        nodes_nodeids=nodes["nodeids"],
        nodes_featureids=nodes["featureids"],
        nodes_values=nodes["values"],
        nodes_modes=nodes["modes"],
        nodes_truenodeids=nodes["truenodeids"],
        nodes_falsenodeids=nodes["falsenodeids"],
        nodes_missing_value_tracks_true=nodes["missing_tracks_true"],
        class_treeids=leaves["treeids"],
        class_nodeids=leaves["nodeids"],
        class_ids=[0] * len(leaves["weights"]),
        class_weights=leaves["weights"],
    )
    graph = helper.make_graph(
        [classifier],
        "credit_risk_gbt",
        inputs=[helper.make_tensor_value_info("features", TensorProto.FLOAT, ["batch", width])],
        outputs=[
            helper.make_tensor_value_info("label", TensorProto.INT64, ["batch"]),
            helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, ["batch", 2]),
        ],
    )
    return finish_model(graph, doc, metadata, uses_ml=True)
