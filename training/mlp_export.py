"""Exports a standardiser + sklearn MLPClassifier (binary) to a plain ONNX graph, by hand.

Graph: features → Sub(mean) → Div(scale) → [MatMul → Add → activation] per hidden layer → MatMul → Add
→ Sigmoid = p → Concat([1 - p, p]) = probabilities [N, 2] float32. The standardisation is the training
script's own float32 arithmetic ((x - mean) / scale), so the graph repeats it operation for operation.
"""

import numpy as np
from onnx import TensorProto, helper, numpy_helper

from onnx_model import finish_model


class MlpExportError(ValueError):
    pass


_ACTIVATIONS = {"relu": "Relu", "tanh": "Tanh", "logistic": "Sigmoid"}


def export_mlp_classifier(mlp, mean: np.ndarray, scale: np.ndarray, doc: str, metadata: dict[str, str]):
    if mlp.out_activation_ != "logistic" or mlp.n_outputs_ != 1:
        raise MlpExportError("only binary MLPClassifiers (one logistic output) are exported")
    if mlp.activation not in _ACTIVATIONS:
        raise MlpExportError(f"activation {mlp.activation!r} has no ONNX counterpart here")
    width = mean.shape[0]
    initializers = [
        numpy_helper.from_array(mean.astype(np.float32), "standardise_mean"),
        numpy_helper.from_array(scale.astype(np.float32), "standardise_scale"),
        numpy_helper.from_array(np.array([1.0], dtype=np.float32), "one"),
    ]
    nodes = [
        helper.make_node("Sub", ["features", "standardise_mean"], ["centred"], name="centre"),
        helper.make_node("Div", ["centred", "standardise_scale"], ["standardised"], name="scale"),
    ]
    current = "standardised"
    last = len(mlp.coefs_) - 1
    for layer, (weights, bias) in enumerate(zip(mlp.coefs_, mlp.intercepts_)):
        initializers.append(numpy_helper.from_array(weights.astype(np.float32), f"layer{layer}_weights"))
        initializers.append(numpy_helper.from_array(bias.astype(np.float32), f"layer{layer}_bias"))
        nodes.append(helper.make_node("MatMul", [current, f"layer{layer}_weights"], [f"layer{layer}_product"]))
        nodes.append(helper.make_node("Add", [f"layer{layer}_product", f"layer{layer}_bias"], [f"layer{layer}_sum"]))
        if layer == last:
            current = f"layer{layer}_sum"
        else:
            nodes.append(helper.make_node(_ACTIVATIONS[mlp.activation], [f"layer{layer}_sum"], [f"layer{layer}_out"]))
            current = f"layer{layer}_out"
    nodes += [
        helper.make_node("Sigmoid", [current], ["p_bad"], name="p_bad"),
        helper.make_node("Sub", ["one", "p_bad"], ["p_good"], name="p_good"),
        helper.make_node("Concat", ["p_good", "p_bad"], ["probabilities"], axis=1, name="probabilities"),
    ]
    graph = helper.make_graph(
        nodes,
        "credit_risk_mlp",
        inputs=[helper.make_tensor_value_info("features", TensorProto.FLOAT, ["batch", width])],
        outputs=[helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, ["batch", 2])],
        initializer=initializers,
    )
    return finish_model(graph, doc, metadata, uses_ml=False)
