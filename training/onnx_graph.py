"""Rewrites of exported ONNX graphs that keep their outputs: needs ``onnx``, not torch.

``python -m training.onnx_graph [--model FILE] [--fixture FILE]`` applies them to the shipped
encoder graph, checked on the stored fixture input (no retraining; ``make train-accurate``
applies the same rewrites to a new export).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import onnx
from onnx import numpy_helper

if TYPE_CHECKING:
    import argparse

log = logging.getLogger(__name__)

# The fused attention computes what the exported one does, in another order: the logits may
# move by float rounding only.
FUSED_MAX_ABS_DIFF = 1e-4


def _scalar_constants(graph: onnx.GraphProto) -> dict[str, float]:
    """The value of every one-element ``Constant`` output and initializer of ``graph``."""
    arrays = [numpy_helper.to_array(init) for init in graph.initializer]
    names = [init.name for init in graph.initializer]
    for node in graph.node:
        if node.op_type == "Constant" and node.attribute and node.attribute[0].name == "value":
            arrays.append(numpy_helper.to_array(node.attribute[0].t))
            names.append(node.output[0])
    return {name: float(a.item()) for name, a in zip(names, arrays, strict=True) if a.size == 1}


def _set_nodes(graph: onnx.GraphProto, nodes: list[onnx.NodeProto]) -> None:
    """Make ``nodes`` the graph's nodes, keeping shape facts only for values they still make."""
    del graph.node[:]
    graph.node.extend(nodes)
    made = {out for node in nodes for out in node.output}
    shapes = [info for info in graph.value_info if info.name in made]
    del graph.value_info[:]
    graph.value_info.extend(shapes)


def simplify_attention(path: Path) -> int:
    """Rewrite the exported attention's masking in the ONNX file at ``path``, outputs unchanged.

    The exported BERT attention turns the padding mask into an additive one in every layer
    (``Where(mask, 0, -inf)``) and, after each softmax, replaces NaN by 0 (``IsNaN``, then
    ``Where``), a guard for rows whose keys are all masked. Every window starts with ``[CLS]``,
    which is never masked, so no row is all masked and the guard never fires: it is removed,
    and the first layer's additive mask serves all layers. The guard's two passes over the
    ``[batch, heads, pieces, pieces]`` probabilities of every layer took about 5% of the
    network's time (docs/evaluation.md).

    Returns:
        How many nodes were removed (0 when the graph holds neither pattern).
    """
    model = onnx.load(str(path))
    graph = model.graph
    scalar = _scalar_constants(graph)
    made_by = {out: node for node in graph.node for out in node.output}
    renamed: dict[str, str] = {}
    dropped: set[str] = set()
    additive: dict[str, str] = {}
    for node in graph.node:
        if node.op_type != "Where" or scalar.get(node.input[1]) != 0.0:
            continue
        guard = made_by.get(node.input[0])
        if scalar.get(node.input[2]) == -np.inf:
            if node.input[0] in additive:
                renamed[node.output[0]] = additive[node.input[0]]
                dropped.add(node.name)
            else:
                additive[node.input[0]] = node.output[0]
        elif guard is not None and guard.op_type == "IsNaN" and guard.input[0] == node.input[2]:
            renamed[node.output[0]] = node.input[2]
            dropped.update((node.name, guard.name))
    if any(out.name in renamed for out in graph.output):
        raise SystemExit(f"{path}: a graph output is produced by a node to be removed")
    kept = [node for node in graph.node if node.name not in dropped]
    for node in kept:
        for k, name in enumerate(node.input):
            node.input[k] = renamed.get(name, name)
    used = {name for node in kept for name in node.input} | {out.name for out in graph.output}
    kept = [n for n in kept if n.op_type != "Constant" or any(o in used for o in n.output)]
    removed = len(graph.node) - len(kept)
    _set_nodes(graph, kept)
    onnx.checker.check_model(model)
    onnx.save(model, str(path))
    log.info("simplified the attention masking of %s: %d nodes removed", path, removed)
    return removed


def _only_consumer(consumers: dict[str, list[onnx.NodeProto]], name: str) -> onnx.NodeProto | None:
    """The one node that reads ``name`` other than for its shape (``None`` when not one)."""
    found = [node for node in consumers.get(name, []) if node.op_type != "Shape"]
    return found[0] if len(found) == 1 else None


def _heads_input(
    made_by: dict[str, onnx.NodeProto], scalar: dict[str, float], name: str, perm: list[int]
) -> tuple[str, int] | None:
    """For ``Transpose(perm)(Reshape(x, [b, s, -1, width]))`` named ``name``: ``x`` and the
    head width (the shape's last element, a constant)."""
    transpose = made_by.get(name)
    if transpose is None or transpose.op_type != "Transpose":
        return None
    if list(onnx.helper.get_attribute_value(transpose.attribute[0])) != perm:
        return None
    reshape = made_by.get(transpose.input[0])
    shape = made_by.get(reshape.input[1]) if reshape and reshape.op_type == "Reshape" else None
    width: float | None = None
    if shape is not None and shape.op_type == "Concat":
        width = scalar.get(shape.input[-1])
    elif shape is not None and shape.op_type == "Constant":
        width = float(numpy_helper.to_array(shape.attribute[0].t).reshape(-1)[-1])
    if reshape is None or width is None or width < 1:
        return None
    return reshape.input[0], int(width)


def _bias_add(
    made_by: dict[str, onnx.NodeProto], arrays: dict[str, np.ndarray], name: str
) -> tuple[str, np.ndarray] | None:
    """For ``name`` made by ``Add(bias, x)`` with a one-axis initializer ``bias``: ``x`` and
    the bias."""
    add = made_by.get(name)
    if add is None or add.op_type != "Add":
        return None
    for k, other in ((0, 1), (1, 0)):
        bias = arrays.get(add.input[k])
        if bias is not None and bias.ndim == 1:
            return add.input[other], bias
    return None


def fuse_attention(
    path: Path, mask_input: str = "attention_mask", *, fold_bias: bool = True
) -> int:
    """Replace each layer's exported self-attention in the ONNX file at ``path`` by one
    onnxruntime ``com.microsoft.MultiHeadAttention`` node.

    The exported attention splits the projected queries, keys and values into heads
    (``Reshape``, ``Transpose``), scales queries and keys, multiplies them, adds the padding
    mask (``0`` or ``-inf`` per key), takes the softmax, multiplies by the values and merges the
    heads again: about a quarter of the network's time in separate passes. The fused node reads
    the same projected queries, keys and values (after their int8 matrix products) and the
    padding mask of ``mask_input`` (1 for a real piece) and gives the merged heads; the scale is
    the product of the two exported ones. Outputs agree with the unfused graph to float
    rounding (a masked key weighs exactly 0 in both).

    Returns:
        How many attention blocks were fused (0 when the graph holds none).

    Raises:
        SystemExit: a softmax sits in a block of another shape than the exported attention.
    """
    model = onnx.load(str(path))
    graph = model.graph
    scalar = _scalar_constants(graph)
    made_by = {out: node for node in graph.node for out in node.output}
    consumers: dict[str, list[onnx.NodeProto]] = {}
    for node in graph.node:
        for name in node.input:
            consumers.setdefault(name, []).append(node)
    arrays = {
        init.name: numpy_helper.to_array(init) for init in graph.initializer if len(init.dims) == 1
    }
    added: list[onnx.TensorProto] = []
    mask = f"{mask_input}_int32"
    fused: dict[str, onnx.NodeProto] = {}  # the merged heads' producer -> its replacement
    for softmax in [n for n in graph.node if n.op_type == "Softmax"]:
        add = made_by.get(softmax.input[0])
        scores = made_by.get(add.input[0]) if add is not None and add.op_type == "Add" else None
        mixed = _only_consumer(consumers, softmax.output[0])
        if scores is None or scores.op_type != "MatMul" or mixed is None:
            raise SystemExit(f"{path}: {softmax.name} is not an exported attention's softmax")
        scaled = [made_by.get(name) for name in scores.input]
        if any(m is None or m.op_type != "Mul" for m in scaled):
            raise SystemExit(f"{path}: {softmax.name}: queries or keys are not scaled")
        q_scale, k_scale = (scalar.get(m.input[1]) for m in scaled if m is not None)
        query, key = (
            _heads_input(made_by, scalar, m.input[0], perm) if m is not None else None
            for m, perm in zip(scaled, ([0, 2, 1, 3], [0, 2, 3, 1]), strict=True)
        )
        value = _heads_input(made_by, scalar, mixed.input[1], [0, 2, 1, 3])
        if (
            query is None
            or key is None
            or value is None
            or q_scale is None
            or k_scale is None
            or mixed.op_type != "MatMul"
        ):
            raise SystemExit(f"{path}: {softmax.name}: not the exported attention's pattern")
        last = mixed
        while True:
            after = _only_consumer(consumers, last.output[0])
            if after is None or after.op_type not in ("Reshape", "Transpose"):
                break
            last = after
        width = query[1]
        biased = [_bias_add(made_by, arrays, name) for name in (query[0], key[0], value[0])]
        hidden = biased[0][1].size if biased[0] is not None else 0
        if last is mixed or None in biased or not hidden or hidden % width:
            raise SystemExit(f"{path}: {softmax.name}: heads are not merged back as exported")
        inputs = [query[0], key[0], value[0], ""]
        if fold_bias:
            inputs = [b[0] for b in biased if b is not None] + [f"{softmax.name}_qkv_bias"]
            added.append(
                numpy_helper.from_array(
                    np.concatenate([b[1] for b in biased if b is not None]), inputs[3]
                )
            )
        fused[last.output[0]] = onnx.helper.make_node(
            "MultiHeadAttention",
            [*inputs, mask],
            [last.output[0]],
            name=f"{softmax.name}_fused_attention",
            domain="com.microsoft",
            num_heads=hidden // width,
            scale=float(np.float32(q_scale) * np.float32(k_scale)),
        )
    if not fused:
        return 0
    kept: list[onnx.NodeProto] = [
        onnx.helper.make_node(
            "Cast", [mask_input], [mask], name=f"{mask}_cast", to=onnx.TensorProto.INT32
        )
    ]
    for node in graph.node:
        kept.append(fused.get(node.output[0], node) if len(node.output) == 1 else node)
    # Drop what no longer feeds an output (the unfused blocks and their shape arithmetic).
    used = {out.name for out in graph.output}
    alive: list[onnx.NodeProto] = []
    for node in reversed(kept):
        if any(out in used for out in node.output):
            alive.append(node)
            used.update(name for name in node.input if name)
    alive.reverse()
    _set_nodes(graph, alive)
    del graph.initializer[:]  # re-added below: only those still read
    graph.initializer.extend(
        init for init in onnx.load(str(path)).graph.initializer if init.name in used
    )
    graph.initializer.extend(added)
    if not any(op.domain == "com.microsoft" for op in model.opset_import):
        model.opset_import.append(onnx.helper.make_opsetid("com.microsoft", 1))
    onnx.save(model, str(path))
    log.info("fused %d attention blocks of %s", len(fused), path)
    return len(fused)


def _logits(path: Path, inputs: dict[str, np.ndarray]) -> np.ndarray:
    import onnxruntime

    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    (logits,) = session.run(["logits"], inputs)
    return np.asarray(logits)


def rewrite_graph(path: Path, inputs: dict[str, np.ndarray]) -> np.ndarray:
    """Simplify the attention's masking, then fuse each layer's attention, in the int8 graph at
    ``path``; stop if the output on ``inputs`` moves by more than ``FUSED_MAX_ABS_DIFF``.

    Applied to an already rewritten graph it changes nothing, so the shipped file can be
    brought up to date without retraining (``python -m training.onnx_graph``).

    Returns:
        The graph's logits for ``inputs`` before the rewrites.
    """
    before = _logits(path, inputs)
    simplify_attention(path)
    if not np.array_equal(_logits(path, inputs), before):
        raise SystemExit("the simplified attention changed the int8 graph's output")
    fuse_attention(path)
    moved = float(np.abs(_logits(path, inputs) - before).max())
    log.info("fused attention vs unfused: max abs logit difference %.2e", moved)
    if moved > FUSED_MAX_ABS_DIFF:
        raise SystemExit(f"the fused attention moved the int8 graph's output by {moved}")
    return before


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point: rewrite a saved encoder graph in place."""
    import argparse

    from training._cli import start

    parser = argparse.ArgumentParser(description="Rewrite the encoder's int8 graph in place.")
    parser.add_argument("--model", default="src/onrecord/data/models/attrib_encoder.onnx")
    parser.add_argument("--fixture", default="tests/extract/data/encoder_fixture.npz")
    start(_rewrite_saved, parser.parse_args(argv))


def _rewrite_saved(args: argparse.Namespace) -> None:
    """Rewrite the graph; when it was not fused yet, keep its logits on the fixture input as
    ``int8_logits``, which the test suite compares the fused graph against."""
    with np.load(args.fixture) as fixture:
        arrays = {k: fixture[k] for k in fixture.files}
    inputs = {k: arrays[k] for k in ("input_ids", "attention_mask", "in_quote")}
    was_fused = b"MultiHeadAttention" in Path(args.model).read_bytes()
    before = rewrite_graph(Path(args.model), inputs)
    if not was_fused:
        arrays["int8_logits"] = before.astype(np.float32)
        np.savez_compressed(args.fixture, allow_pickle=False, **arrays)


if __name__ == "__main__":
    main()
