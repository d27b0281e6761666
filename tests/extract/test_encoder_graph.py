"""The rewrite of the exported attention's masking (``training/onnx_graph.py``) and the shipped
graph it produced."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import onnx
import onnxruntime

from onrecord.extract import default_model_dir
from onrecord.extract._encoder import ENCODER_FILE


def _masked_attention(onnx: Any, layers: int) -> Any:
    """A graph shaped like the exported attention: per layer, an additive mask from the boolean
    mask (``Where(mask, 0, -inf)``), added to the scores, a softmax, then NaN replaced by 0."""
    helper = onnx.helper
    tensor = onnx.TensorProto
    nodes = [
        helper.make_node(
            "Constant", [], ["zero"], value=helper.make_tensor("z", tensor.FLOAT, [1], [0.0])
        ),
    ]
    previous = "scores"
    for k in range(layers):
        nodes += [
            helper.make_node(
                "Constant",
                [],
                [f"ninf{k}"],
                value=helper.make_tensor("n", tensor.FLOAT, [1], [-np.inf]),
            ),
            helper.make_node(
                "Where", ["mask", "zero", f"ninf{k}"], [f"additive{k}"], name=f"mask{k}"
            ),
            helper.make_node("Add", [previous, f"additive{k}"], [f"masked{k}"], name=f"add{k}"),
            helper.make_node("Softmax", [f"masked{k}"], [f"probs{k}"], name=f"softmax{k}"),
            helper.make_node("IsNaN", [f"probs{k}"], [f"nan{k}"], name=f"isnan{k}"),
            helper.make_node(
                "Where", [f"nan{k}", "zero", f"probs{k}"], [f"guarded{k}"], name=f"guard{k}"
            ),
        ]
        previous = f"guarded{k}"
    nodes.append(helper.make_node("Identity", [previous], ["out"], name="out"))
    graph = helper.make_graph(
        nodes,
        "attention",
        [
            helper.make_tensor_value_info("scores", tensor.FLOAT, ["b", "h", "q", "k"]),
            helper.make_tensor_value_info("mask", tensor.BOOL, ["b", 1, "q", "k"]),
        ],
        [helper.make_tensor_value_info("out", tensor.FLOAT, ["b", "h", "q", "k"])],
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])


def _run(path: Path, scores: np.ndarray, mask: np.ndarray) -> np.ndarray:
    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    (out,) = session.run(["out"], {"scores": scores, "mask": mask})
    return np.asarray(out)


def test_the_rewrite_drops_the_nan_guard_and_repeated_masks_keeping_the_output(
    tmp_path: Path,
) -> None:
    from training.onnx_graph import simplify_attention

    path = tmp_path / "attention.onnx"
    onnx.save(_masked_attention(onnx, layers=3), str(path))
    rng = np.random.default_rng(5)
    scores = rng.normal(size=(2, 4, 5, 5)).astype(np.float32)
    mask = np.ones((2, 1, 5, 5), dtype=bool)
    mask[1, :, :, 3:] = False  # the second window has two padded pieces; its first is kept
    before = _run(path, scores, mask)

    removed = simplify_attention(path)

    kinds = [node.op_type for node in onnx.load(str(path)).graph.node]
    assert "IsNaN" not in kinds
    assert kinds.count("Where") == 1
    assert removed == 3 * 2 + 2 * 2  # guard pairs, and the later layers' masks and constants
    assert np.array_equal(_run(path, scores, mask), before)
    assert simplify_attention(path) == 0


def test_the_shipped_encoder_has_no_nan_guard_after_its_softmaxes() -> None:
    graph = (default_model_dir() / ENCODER_FILE).read_bytes()
    assert b"Softmax" in graph
    assert b"IsNaN" not in graph
