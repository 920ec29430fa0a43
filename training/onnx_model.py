"""Wraps a graph into a deterministic ONNX model that onnxruntime-node 1.30 loads."""

import onnx
from onnx import helper

# ONNX Runtime supports ai.onnx.ml up to opset 3 and the default domain well past 13.
DEFAULT_OPSET = 13
ML_OPSET = 3
IR_VERSION = 8


def finish_model(graph, doc: str, metadata: dict[str, str], uses_ml: bool):
    opsets = [helper.make_opsetid("", DEFAULT_OPSET)]
    if uses_ml:
        opsets.append(helper.make_opsetid("ai.onnx.ml", ML_OPSET))
    model = helper.make_model(graph, opset_imports=opsets, producer_name="tally-training", producer_version="1")
    model.ir_version = IR_VERSION
    model.doc_string = doc
    for key in sorted(metadata):
        entry = model.metadata_props.add()
        entry.key = key
        entry.value = metadata[key]
    onnx.checker.check_model(model)
    return model
