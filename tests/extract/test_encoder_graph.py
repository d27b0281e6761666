"""The rewrites of the exported attention (``training/onnx_graph.py``): its masking simplified,
then each layer's attention fused into one node; and the shipped graph they produced."""

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


def test_the_shipped_encoder_runs_each_layers_attention_as_one_fused_node() -> None:
    graph = onnx.load(str(default_model_dir() / ENCODER_FILE)).graph
    kinds = [node.op_type for node in graph.node]
    assert kinds.count("MultiHeadAttention") == 6
    assert not {"Softmax", "IsNaN", "Where", "Transpose"} & set(kinds)


def _exported_attention(onnx: Any, heads: int, width: int, rng: np.random.Generator) -> Any:
    """A graph shaped like the exported self-attention: biased query, key and value
    projections, split into heads, queries and keys scaled, the padding mask added as
    ``0``/``-inf``, softmax, values mixed, heads merged, then a projection."""
    helper = onnx.helper
    tensor = onnx.TensorProto
    hidden = heads * width

    def const(name: str, value: Any, kind: int = tensor.INT64) -> Any:
        array = np.asarray(value)
        return helper.make_node(
            "Constant",
            [],
            [name],
            value=helper.make_tensor(name, kind, list(array.shape), array.reshape(-1).tolist()),
        )

    weights = [
        onnx.numpy_helper.from_array(rng.normal(size=shape).astype(np.float32) / 4, name)
        for name, shape in (
            ("wq", (hidden, hidden)),
            ("wk", (hidden, hidden)),
            ("wv", (hidden, hidden)),
            ("bq", (hidden,)),
            ("bk", (hidden,)),
            ("bv", (hidden,)),
            ("wo", (hidden, hidden)),
        )
    ]
    root = float(np.float32(width**-0.25))
    nodes = [
        const("split", [0, 0, -1, width]),
        const("merged", [0, 0, hidden]),
        const("root", root, tensor.FLOAT),
        const("zero", [0.0], tensor.FLOAT),
        const("ninf", [-np.inf], tensor.FLOAT),
        const("axes", [1, 2]),
        helper.make_node("Cast", ["attention_mask"], ["keep"], to=tensor.BOOL),
        helper.make_node("Unsqueeze", ["keep", "axes"], ["keep4"]),
        helper.make_node("Where", ["keep4", "zero", "ninf"], ["additive"]),
    ]
    for part, perm in (("q", [0, 2, 1, 3]), ("k", [0, 2, 3, 1]), ("v", [0, 2, 1, 3])):
        nodes += [
            helper.make_node("MatMul", ["x", f"w{part}"], [f"{part}_mm"]),
            helper.make_node("Add", [f"b{part}", f"{part}_mm"], [f"{part}_b"]),
            helper.make_node("Reshape", [f"{part}_b", "split"], [f"{part}_r"]),
            helper.make_node("Transpose", [f"{part}_r"], [f"{part}_t"], perm=perm),
        ]
    nodes += [
        helper.make_node("Mul", ["q_t", "root"], ["q_s"]),
        helper.make_node("Mul", ["k_t", "root"], ["k_s"]),
        helper.make_node("MatMul", ["q_s", "k_s"], ["scores"]),
        helper.make_node("Add", ["scores", "additive"], ["masked"]),
        helper.make_node("Softmax", ["masked"], ["probs"], axis=-1, name="softmax"),
        helper.make_node("MatMul", ["probs", "v_t"], ["mixed"]),
        helper.make_node("Shape", ["mixed"], ["mixed_shape"]),
        helper.make_node("Transpose", ["mixed"], ["mixed_t"], perm=[0, 2, 1, 3]),
        helper.make_node("Reshape", ["mixed_t", "merged"], ["context"]),
        helper.make_node("MatMul", ["context", "wo"], ["out"]),
    ]
    graph = helper.make_graph(
        nodes,
        "attention",
        [
            helper.make_tensor_value_info("x", tensor.FLOAT, ["b", "s", hidden]),
            helper.make_tensor_value_info("attention_mask", tensor.INT64, ["b", "s"]),
        ],
        [helper.make_tensor_value_info("out", tensor.FLOAT, ["b", "s", hidden])],
        initializer=weights,
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])


def _attend(path: Path, x: np.ndarray, mask: np.ndarray) -> np.ndarray:
    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    (out,) = session.run(["out"], {"x": x, "attention_mask": mask})
    return np.asarray(out)


def test_fusing_the_attention_keeps_the_output_and_ignores_padded_keys(tmp_path: Path) -> None:
    from training.onnx_graph import fuse_attention

    rng = np.random.default_rng(11)
    path = tmp_path / "attention.onnx"
    onnx.save(_exported_attention(onnx, heads=4, width=8, rng=rng), str(path))
    x = rng.normal(size=(3, 7, 32)).astype(np.float32)
    mask = np.ones((3, 7), dtype=np.int64)
    mask[1, 4:] = 0
    mask[2, 1:] = 0  # only the first piece is real
    before = _attend(path, x, mask)

    assert fuse_attention(path) == 1

    kinds = [node.op_type for node in onnx.load(str(path)).graph.node]
    assert kinds.count("MultiHeadAttention") == 1
    assert not {"Softmax", "Transpose", "Reshape", "Where"} & set(kinds)
    after = _attend(path, x, mask)
    assert np.allclose(after, before, rtol=0, atol=1e-5)
    # A padded key weighs nothing: changing what the padding holds moves no real piece.
    noisy = x.copy()
    noisy[1, 4:] += 100.0
    assert np.allclose(_attend(path, noisy, mask)[1, :4], after[1, :4], rtol=0, atol=1e-5)
    assert fuse_attention(path) == 0


def test_the_shipped_fused_graph_gives_the_unfused_int8_graphs_logits_on_the_fixed_input() -> None:
    from training.onnx_graph import FUSED_MAX_ABS_DIFF

    fixture = np.load(Path(__file__).with_name("data") / "encoder_fixture.npz")
    inputs = {k: fixture[k] for k in ("input_ids", "attention_mask", "in_quote")}
    session = onnxruntime.InferenceSession(
        str(default_model_dir() / ENCODER_FILE), providers=["CPUExecutionProvider"]
    )
    (got,) = session.run(["logits"], inputs)
    assert got.shape == fixture["int8_logits"].shape
    assert np.abs(got - fixture["int8_logits"]).max() <= FUSED_MAX_ABS_DIFF
