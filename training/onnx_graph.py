"""Rewrites of exported ONNX graphs that keep their outputs: needs ``onnx``, not torch."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import onnx
from onnx import numpy_helper

log = logging.getLogger(__name__)


def _scalar_constants(graph: onnx.GraphProto) -> dict[str, float]:
    """The value of every one-element ``Constant`` output and initializer of ``graph``."""
    arrays = [numpy_helper.to_array(init) for init in graph.initializer]
    names = [init.name for init in graph.initializer]
    for node in graph.node:
        if node.op_type == "Constant" and node.attribute and node.attribute[0].name == "value":
            arrays.append(numpy_helper.to_array(node.attribute[0].t))
            names.append(node.output[0])
    return {name: float(a.item()) for name, a in zip(names, arrays, strict=True) if a.size == 1}


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
    del graph.node[:]
    graph.node.extend(kept)
    made = {out for node in kept for out in node.output}
    shapes = [info for info in graph.value_info if info.name in made]
    del graph.value_info[:]
    graph.value_info.extend(shapes)
    onnx.checker.check_model(model)
    onnx.save(model, str(path))
    log.info("simplified the attention masking of %s: %d nodes removed", path, removed)
    return removed
