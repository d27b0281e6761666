"""The MiniLM graph writer (``training.int8_graph``): onnxruntime's fused operators compute the
numpy forward pass, and the shipped sentence graph is what the writer writes from its weights."""

from __future__ import annotations

import numpy as np
import onnx
import onnxruntime
from onnx import numpy_helper
from training.int8_graph import graph_constants
from training.sentence_export import sentence_graph

from onrecord.positions import SentenceEncoder
from onrecord.positions._encoder import LAYERS, default_sentence_encoder_path

TEXTS = [
    "The ferry fees for Ashford traders must come down before the summer.",
    "No.",
    "Unarmed observers may visit the weir once a month, the minister said on Tuesday.",
]


def _run(model: onnx.ModelProto, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    session = onnxruntime.InferenceSession(
        model.SerializeToString(), options, providers=["CPUExecutionProvider"]
    )
    (out,) = session.run(["embedding"], {"input_ids": ids, "attention_mask": mask})
    return np.asarray(out)


def test_the_fused_float_graph_computes_the_numpy_forward_pass(encoder: SentenceEncoder) -> None:
    # One padded batch: the attention operator must leave the padding out as the mask says.
    model = sentence_graph(encoder.weights)
    kinds = {node.op_type for node in model.graph.node}
    assert {"MultiHeadAttention", "Split"} <= kinds
    assert "Softmax" not in kinds
    batch = encoder.tokenizer.batch(TEXTS)
    assert batch.attention_mask.sum(axis=1).min() < batch.attention_mask.shape[1]
    pooled = _run(model, batch.input_ids, batch.attention_mask)
    got = pooled / np.linalg.norm(pooled, axis=1, keepdims=True)
    assert np.abs(got - encoder.encode(TEXTS)).max() < 1e-5


def test_the_shipped_sentence_graph_is_the_writers_over_its_own_weights(
    encoder: SentenceEncoder,
) -> None:
    shipped_path = default_sentence_encoder_path()
    kept = graph_constants(shipped_path)
    # The smoothing scales' values come from the kept graph; only their names matter here.
    smooth = {
        f"encoder.layer.{i}.{part}": np.ones(width, dtype=np.float32)
        for i in range(LAYERS)
        for part, width in (
            ("attention.self.query", 384),
            ("attention.self.key", 384),
            ("attention.self.value", 384),
            ("attention.output.dense", 384),
            ("intermediate.dense", 384),
            ("output.dense", 1536),
        )
    }
    written = sentence_graph(encoder.weights, smooth, per_token=True, keep=kept)
    shipped = onnx.load(str(shipped_path))
    assert [n.op_type for n in written.graph.node] == [n.op_type for n in shipped.graph.node]
    constants = {i.name: numpy_helper.to_array(i) for i in written.graph.initializer}
    assert constants.keys() == kept.keys()
    for name, value in kept.items():
        assert np.array_equal(constants[name], value), name
    ids = np.asarray([[101, 2053, 1012, 102]], dtype=np.int64)
    assert np.array_equal(_run(written, ids, ids * 0 + 1), _run(shipped, ids, ids * 0 + 1))
