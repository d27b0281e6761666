"""The graph writer of the MiniLM ONNX models (sentence encoder, stance cross-encoder).

``encoder_states`` adds ``MiniLM.hidden`` to a ``Graph`` operator by operator, in float or
with every matrix product in int8 (weights with one scale per output column, the input
quantized as it runs with one scale per token, so that no token's numbers depend on the
others of its call). With ``fused`` (what the shipped graphs use) the same network is
written with onnxruntime's fused operators: per-token products as ``QuantizeLinear`` and
``MatMulIntegerToFloat``, the query, key and value products as one product over their joined
columns split apart, and attention as ``MultiHeadAttention`` (``com.microsoft``): the same
numbers to float rounding (the float graph is 2.4e-7 from numpy; the per-token int8 stance
graph gives the logits of the unfused one bit for bit), in fewer operators per call.

``Graph(keep=...)`` takes the constants an earlier graph holds under the same names instead
of computing them again: a shipped graph is written in a new form with exactly its weights
(the smoothing scales, and so a few int8 weights, otherwise move with float rounding).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from onrecord.positions._encoder import (
    HEADS,
    HIDDEN,
    LAYER_NORM_EPS,
    LAYERS,
    SENTENCE_INPUTS,
    FloatArray,
)

OPSET = 17
MS_DOMAIN = "com.microsoft"
# The segment ids of a pair's pieces (0: first part, 1: second), in graphs that take them.
SEGMENT_INPUT = "token_type_ids"
_QKV = ("query", "key", "value")


def graph_constants(path: Path) -> dict[str, np.ndarray]:
    """Every initializer of the ONNX file at ``path`` by name (for ``Graph(keep=...)``)."""
    return {i.name: numpy_helper.to_array(i) for i in onnx.load(str(path)).graph.initializer}


class Graph:
    """Nodes and constant tensors of the graph being written.

    Args:
        smooth: per-input-channel scales moved into each product's weights, by product name.
        per_token: int8 products with one input scale per token (else float products).
        fused: onnxruntime's fused operators (see the module's text).
        keep: constants of an earlier graph; a constant with one of their names takes its
            value from there.
    """

    def __init__(
        self,
        smooth: dict[str, FloatArray] | None = None,
        per_token: bool = False,
        fused: bool = False,
        keep: dict[str, np.ndarray] | None = None,
    ) -> None:
        self.smooth = smooth or {}
        self.per_token = per_token
        self.fused = fused
        self.keep = keep or {}
        self._rows: dict[str, tuple[str, str, str]] = {}
        self._quantized: dict[str, tuple[str, str]] = {}
        self._smoothed: dict[tuple[str, int], str] = {}
        self.nodes: list[onnx.NodeProto] = []
        self.constants: list[onnx.TensorProto] = []
        self._count = 0

    def value(self, name: str, value: np.ndarray | np.generic) -> np.ndarray:
        """``value``, or the kept graph's constant of that name."""
        kept = self.keep.get(name)
        return np.asarray(value) if kept is None else kept

    def const(self, name: str, value: np.ndarray | np.generic) -> str:
        self.constants.append(numpy_helper.from_array(self.value(name, value), name))
        return name

    def op(self, kind: str, inputs: list[str], **attributes: Any) -> str:  # Any: ONNX attributes
        self._count += 1
        out = f"{kind.lower()}_{self._count}"
        self.nodes.append(helper.make_node(kind, inputs, [out], name=out, **attributes))
        return out

    def ms_op(self, kind: str, inputs: list[str], **attributes: Any) -> str:  # Any: as ``op``
        """An onnxruntime contrib operator (``com.microsoft``)."""
        self._count += 1
        out = f"{kind.lower()}_{self._count}"
        self.nodes.append(
            helper.make_node(kind, inputs, [out], name=out, domain=MS_DOMAIN, **attributes)
        )
        return out

    def linear(self, x: str, weights: dict[str, FloatArray], name: str) -> str:
        """``x W + b`` of the product ``name``."""
        return self.op("Add", [self.product(x, weights, [name]), self.bias(weights, [name])])

    def bias(self, weights: dict[str, FloatArray], names: list[str]) -> str:
        """The bias of these products (joined), as one constant."""
        parts = [self.value(f"{n}.bias", weights[f"{n}.bias"]) for n in names]
        if len(names) == 1:
            return self.const(f"{names[0]}.bias", parts[0])
        return self.const(f"{_joined(names)}.bias", np.concatenate(parts).astype(np.float32))

    def product(self, x: str, weights: dict[str, FloatArray], names: list[str]) -> str:
        """``x W`` without the bias, ``W`` the columns of these products side by side (they
        read the same input, smoothed by the first one's scales)."""
        weight_ts = [weights[f"{n}.weight"].T for n in names]
        scale = self.smooth.get(names[0])
        if scale is not None:
            # x W = (x / s)(s W): the int8 input then has evener channels (one Mul per input,
            # shared by the products that read it with the same s).
            key = (x, id(scale))
            if key not in self._smoothed:
                inverse = self.const(f"{names[0]}.smooth", (1.0 / scale).astype(np.float32))
                self._smoothed[key] = self.op("Mul", [x, inverse])
            x = self._smoothed[key]
            weight_ts = [w * scale[:, None] for w in weight_ts]
        if self.per_token:
            return self.int8_product(x, weight_ts, names)
        joined = np.concatenate(weight_ts, axis=1)
        name = _joined(names)
        weight = self.const(f"{name}.weight_t", np.ascontiguousarray(joined, dtype=np.float32))
        self.nodes.append(helper.make_node("MatMul", [x, weight], [name], name=name))
        return name

    def _int8_weights(self, weight_ts: list[FloatArray], names: list[str]) -> tuple[str, str]:
        """The int8 weights and their column scales (joined), as constants."""
        quantized, scales = [], []
        for weight_t, name in zip(weight_ts, names, strict=True):
            column_scale = np.maximum(np.abs(weight_t).max(axis=0) / 127.0, 1e-12)
            weight_q = np.clip(np.round(weight_t / column_scale), -127, 127).astype(np.int8)
            quantized.append(self.value(f"{name}.weight_q", weight_q))
            scales.append(self.value(f"{name}.weight_scale", column_scale.astype(np.float32)))
        name = _joined(names)
        return (
            self.const(f"{name}.weight_q", np.concatenate(quantized, axis=1)),
            self.const(f"{name}.weight_scale", np.concatenate(scales).astype(np.float32)),
        )

    def int8_product(self, x: str, weight_ts: list[FloatArray], names: list[str]) -> str:
        """``x @ weight_t`` in int8: the weights with one scale per output column, the input
        with one scale per token (row), so that no token's scale depends on another's."""
        if self.fused:
            return self._fused_product(x, weight_ts, names)
        name = names[0]
        if x not in self._quantized:
            peak = self.op("ReduceMax", [self.op("Abs", [x])], axes=[-1], keepdims=1)
            scale = self.op(
                "Max",
                [
                    self.op("Div", [peak, self.const(f"{name}.127", np.array(127.0, np.float32))]),
                    self.const(f"{name}.tiny", np.array(1e-12, np.float32)),
                ],
            )
            shifted = self.op(
                "Add",
                [
                    self.op("Round", [self.op("Div", [x, scale])]),
                    self.const(f"{name}.128", np.array(128.0, np.float32)),
                ],
            )
            low = self.const(f"{name}.0", np.array(0.0, np.float32))
            high = self.const(f"{name}.255", np.array(255.0, np.float32))
            clipped = self.op("Clip", [shifted, low, high])
            self._quantized[x] = (self.op("Cast", [clipped], to=TensorProto.UINT8), scale)
        quantized, scale = self._quantized[x]
        weight_q, column_scale = self._int8_weights(weight_ts, names)
        zero = self.const(f"{name}.zero_point", np.array(128, np.uint8))
        product = self.op("MatMulInteger", [quantized, weight_q, zero])
        product = self.op("Cast", [product], to=TensorProto.FLOAT)
        product = self.op("Mul", [product, scale])
        return self.op("Mul", [product, column_scale])

    def _fused_product(self, x: str, weight_ts: list[FloatArray], names: list[str]) -> str:
        """``int8_product`` with ``QuantizeLinear`` (one scale per row of ``x`` flattened to
        ``[tokens, width]``) and ``MatMulIntegerToFloat`` (``com.microsoft``)."""
        name = names[0]
        if x not in self._rows:
            width = weight_ts[0].shape[0]
            peak = self.op("ReduceMax", [self.op("Abs", [x])], axes=[-1], keepdims=1)
            scale = self.op(
                "Max",
                [
                    self.op("Div", [peak, self.const(f"{name}.127", np.array(127.0, np.float32))]),
                    self.const(f"{name}.tiny", np.array(1e-12, np.float32)),
                ],
            )
            flat_scale = self.op("Reshape", [scale, self.const(f"{name}.flat", np.array([-1]))])
            zero = self.op(
                "Cast",
                [
                    self.op(
                        "Add",
                        [
                            self.op("Mul", [flat_scale, self.const(f"{name}.0", np.float32(0))]),
                            self.const(f"{name}.128", np.float32(128)),
                        ],
                    )
                ],
                to=TensorProto.UINT8,
            )
            rows = self.op("Reshape", [x, self.const(f"{name}.rows", np.array([-1, width]))])
            quantized = self.op("QuantizeLinear", [rows, flat_scale, zero], axis=0)
            quantized = self.op("Reshape", [quantized, self.op("Shape", [x])])
            self._rows[x] = (quantized, scale, self.const(f"{name}.zero", np.array(128, np.uint8)))
        quantized, scale, zero = self._rows[x]
        weight_q, column_scale = self._int8_weights(weight_ts, names)
        product = self.ms_op(
            "MatMulIntegerToFloat",
            [
                quantized,
                weight_q,
                self.const(f"{name}.one", np.array(1.0, np.float32)),
                column_scale,
                zero,
            ],
        )
        return self.op("Mul", [product, scale])

    def layer_norm(self, x: str, weights: dict[str, FloatArray], name: str) -> str:
        scale = self.const(f"{name}.weight", weights[f"{name}.weight"])
        bias = self.const(f"{name}.bias", weights[f"{name}.bias"])
        return self.op("LayerNormalization", [x, scale, bias], axis=-1, epsilon=LAYER_NORM_EPS)

    def residual_norm(
        self, x: str, product: str, bias: str, weights: dict[str, FloatArray], name: str
    ) -> str:
        """``LayerNorm(product + bias + x)`` (onnxruntime's ``SkipLayerNormalization`` does the
        same in one operator, but took several times the time of these three on one thread)."""
        return self.layer_norm(self.op("Add", [self.op("Add", [product, bias]), x]), weights, name)


def _joined(names: list[str]) -> str:
    """The name of products run as one: ``PREFIX.query`` ... -> ``PREFIX.qkv``."""
    if len(names) == 1:
        return names[0]
    return names[0].rsplit(".", 1)[0] + ".qkv"


def encoder_states(
    g: Graph,
    weights: dict[str, FloatArray],
    per_token: bool = False,
    segments: bool = False,
) -> tuple[str, str]:
    """Add ``MiniLM.hidden`` over ``weights`` to ``g``: the last layer's states
    ``[batch, pieces, 384]`` and the mask as floats ``[batch, pieces]``.

    Args:
        g: the graph being written (its ``per_token`` sets how the products run).
        weights: the MiniLM's tensors by their names in the base model's file.
        per_token: the word embedding table in int8, one scale per row.
        segments: the graph takes ``token_type_ids`` (``[batch, pieces]``) and adds each
            piece's segment embedding; without, every piece is in segment 0.
    """
    head_dim = HIDDEN // HEADS
    ids, mask = SENTENCE_INPUTS
    table = weights["embeddings.word_embeddings.weight"]
    if per_token:
        # One int8 scale per vocabulary row.
        row_scale = np.maximum(np.abs(table).max(axis=1, keepdims=True) / 127.0, 1e-12)
        table_q = np.clip(np.round(table / row_scale), -127, 127).astype(np.int8)
        words_q = g.const("embeddings.word_embeddings.weight_q", table_q)
        scales = g.const("embeddings.word_embeddings.row_scale", row_scale.astype(np.float32))
        cast = g.op("Cast", [g.op("Gather", [words_q, ids])], to=TensorProto.FLOAT)
        embedded = g.op("Mul", [cast, g.op("Gather", [scales, ids])])
    else:
        words = g.const("embeddings.word_embeddings.weight", table)
        embedded = g.op("Gather", [words, ids])
    segment_table = weights["embeddings.token_type_embeddings.weight"]
    positions_table = weights["embeddings.position_embeddings.weight"].astype(np.float32)
    if segments:
        kinds = g.const("embeddings.token_type_embeddings.weight", segment_table)
        embedded = g.op("Add", [embedded, g.op("Gather", [kinds, SEGMENT_INPUT])])
    else:
        # Single texts have segment id 0 throughout: its embedding row joins the position table.
        positions_table = (positions_table + segment_table[0][None, :]).astype(np.float32)
    positions = g.const("embeddings.positions_and_segment", positions_table)
    width = g.op(
        "Slice",
        [
            g.op("Shape", [ids]),
            g.const("one", np.array([1], dtype=np.int64)),
            g.const("two", np.array([2], dtype=np.int64)),
        ],
    )
    steps = g.op(
        "Range",
        [
            g.const("zero_scalar", np.array(0, dtype=np.int64)),
            g.op("Squeeze", [width, g.const("axis0", np.array([0], dtype=np.int64))]),
            g.const("one_scalar", np.array(1, dtype=np.int64)),
        ],
    )
    x = g.op("Add", [embedded, g.op("Gather", [positions, steps])])
    x = g.layer_norm(x, weights, "embeddings.LayerNorm")
    mask_f = g.op("Cast", [mask], to=TensorProto.FLOAT)
    one = g.const("one_f", np.array(1.0, dtype=np.float32))
    if g.fused:
        # Key padding for ``MultiHeadAttention``: [batch, pieces], 1 keeps a piece.
        key_mask = g.op("Cast", [mask], to=TensorProto.INT32)
    else:
        # (1 - mask) * -1e9, broadcast over heads and query positions: [batch, 1, 1, pieces].
        mask_bias = g.op(
            "Mul",
            [
                g.op("Sub", [one, mask_f]),
                g.const("minus_big", np.array(-1e9, dtype=np.float32)),
            ],
        )
        mask_bias = g.op(
            "Unsqueeze", [mask_bias, g.const("axes12", np.array([1, 2], dtype=np.int64))]
        )
        split_heads = g.const("split_heads", np.array([0, 0, HEADS, head_dim], dtype=np.int64))
        join_heads = g.const("join_heads", np.array([0, 0, HIDDEN], dtype=np.int64))
        scale = g.const("scale", np.array(1.0 / np.sqrt(head_dim), dtype=np.float32))
    sqrt2 = g.const("sqrt2", np.array(np.sqrt(2.0), dtype=np.float32))
    half = g.const("half", np.array(0.5, dtype=np.float32))
    for i in range(LAYERS):
        p = f"encoder.layer.{i}"
        qkv = [f"{p}.attention.self.{part}" for part in _QKV]
        if g.fused:
            # One product for the query, key and value columns, then the three split apart.
            joined = g.op("Add", [g.product(x, weights, qkv), g.bias(weights, qkv)])
            count = len(g.nodes)
            g.nodes.append(
                helper.make_node(
                    "Split",
                    [joined, g.const(f"{p}.qkv.split", np.array([HIDDEN] * 3, np.int64))],
                    [f"split_{count}_{part}" for part in _QKV],
                    name=f"split_{count}",
                    axis=-1,
                )
            )
            q, k, v = (f"split_{count}_{part}" for part in _QKV)
            context = g.ms_op("MultiHeadAttention", [q, k, v, "", key_mask], num_heads=HEADS)
        else:

            def heads(t: str, perm: list[int]) -> str:
                return g.op("Transpose", [g.op("Reshape", [t, split_heads])], perm=perm)

            q = heads(g.linear(x, weights, qkv[0]), [0, 2, 1, 3])
            k = heads(g.linear(x, weights, qkv[1]), [0, 2, 3, 1])
            v = heads(g.linear(x, weights, qkv[2]), [0, 2, 1, 3])
            scores = g.op("Add", [g.op("Mul", [g.op("MatMul", [q, k]), scale]), mask_bias])
            probs = g.op("Softmax", [scores], axis=-1)
            context = g.op("Transpose", [g.op("MatMul", [probs, v])], perm=[0, 2, 1, 3])
            context = g.op("Reshape", [context, join_heads])
        name = f"{p}.attention.output.dense"
        attended = g.product(context, weights, [name])
        x = g.residual_norm(
            x, attended, g.bias(weights, [name]), weights, f"{p}.attention.output.LayerNorm"
        )
        inner = g.linear(x, weights, f"{p}.intermediate.dense")
        erf = g.op("Erf", [g.op("Div", [inner, sqrt2])])
        gelu = g.op(
            "Mul",
            [
                g.op("Mul", [inner, half]),
                g.op("Add", [erf, g.const(f"one_{i}", np.array(1.0, dtype=np.float32))]),
            ],
        )
        name = f"{p}.output.dense"
        out = g.product(gelu, weights, [name])
        x = g.residual_norm(x, out, g.bias(weights, [name]), weights, f"{p}.output.LayerNorm")
    return x, mask_f


def mean_pool(g: Graph, states: str, mask_f: str, out: str | None = None) -> str:
    """The masked mean of ``states`` over the pieces (``[batch, 384]``), named ``out``."""
    kept = g.op("Unsqueeze", [mask_f, g.const("axis2", np.array([2], dtype=np.int64))])
    total = g.op(
        "ReduceSum",
        [g.op("Mul", [states, kept]), g.const("axis1", np.array([1], dtype=np.int64))],
        keepdims=0,
    )
    count = g.op("ReduceSum", [kept, "axis1"], keepdims=0)
    count = g.op("Max", [count, "one_f"])
    if out is None:
        return g.op("Div", [total, count])
    g.nodes.append(helper.make_node("Div", [total, count], [out]))
    return out


def finish(g: Graph, name: str, inputs: list[str], output: str, width: int) -> onnx.ModelProto:
    """The checked model of ``g``: int64 ``inputs`` ``[batch, pieces]``, float ``output``
    ``[batch, width]``."""
    graph = helper.make_graph(
        g.nodes,
        name,
        [helper.make_tensor_value_info(i, TensorProto.INT64, ["batch", "pieces"]) for i in inputs],
        [helper.make_tensor_value_info(output, TensorProto.FLOAT, ["batch", width])],
        g.constants,
    )
    opsets = [helper.make_opsetid("", OPSET)]
    if any(node.domain == "com.microsoft" for node in g.nodes):
        opsets.append(helper.make_opsetid("com.microsoft", 1))
    model = helper.make_model(graph, opset_imports=opsets)
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model
