"""Export trained stance weights to the shipped ONNX model: ``python -m training.stance_export``.

Writes into ``--out`` (``src/onrecord/positions/models``):

- ``stance_crossencoder.onnx``: the cross-encoder written with the sentence encoder's graph
  writer (``training.int8_graph``, onnxruntime's fused operators), followed by the mean
  pooling and the head: every matrix product in int8, its weights with one scale per output
  column and its input quantized as it runs with one scale per token, so that no pair's
  logits depend on the pairs run with it; the word embedding table in int8 with one scale
  per row; the head in float. Inputs ``input_ids``, ``attention_mask``, ``token_type_ids``
  and output ``logits`` ``[batch, 11]`` (four stances, then seven acts);
- ``stance_crossencoder.json``: the training settings and the export checks;
- ``--fixture``: fixed pairs and torch's logits for them, which the test suite compares the
  shipped ONNX file against (torch is not installed at test time).

``--weights`` is the trained record (``.pt``, needs torch), or an ONNX graph of the same
network quantized by onnxruntime's dynamic int8 (the earlier shipped form): its weights are
read back as floats (int8 times scale), its export record ``FILE.json`` beside it supplies the
training settings, and the checks compare with the torch logits of ``--reference`` (the test
fixture written from the trained record). ``--keep`` takes the int8 weights and scales of an
earlier graph as they are (the shipped weights written in the writer's current form).

The tokenizer is the one the attribution encoder ships (same all-MiniLM-L6-v2 vocabulary).
"""

from __future__ import annotations

import argparse
import json
import logging
from pathlib import Path
from typing import Any

import numpy as np
import onnx
from onnx import helper, numpy_helper

from onrecord.positions._encoder import (
    CROSS_ENCODER_FILE,
    CROSS_ENCODER_META_FILE,
    PAIR_INPUTS,
    STANCE_OUTPUTS,
    FloatArray,
    pair_arrays,
    pair_tokenizer,
)
from onrecord.positions._stance import STANCE_MODEL_NAME
from training._cli import start
from training.int8_graph import Graph, encoder_states, finish, graph_constants, mean_pool

log = logging.getLogger(__name__)

# The fixed input of the export check and of the test fixture: (issue, statement) pairs.
FIXTURE_PAIRS = (
    (
        "The Harbour Line tram is extended to Westgate",
        "Councillor Dana Whitlock demanded that the tram reach Westgate by 2030.",
    ),
    (
        "The Harbour Line tram is extended to Westgate",
        "We will back the extension only if the depot stays in Eastbank, Whitlock said.",
    ),
    (
        "Corlan lowers its tariff on Vessin steel",
        "Corlan will never cut the steel tariff while Vessin dumps its surplus on us, "
        "the trade minister said.",
    ),
    ("Corlan lowers its tariff on Vessin steel", "Talks resume in Corlan City on Monday."),
)


def trained_weights(state: dict[str, Any]) -> dict[str, FloatArray]:
    """The network's tensors from a trained record, named as in the base model's file (the
    encoder's without their ``encoder.`` prefix) plus ``head.weight`` and ``head.bias``."""
    return {
        name.removeprefix("encoder."): tensor.detach().numpy().astype(np.float32)
        for name, tensor in state["model"].items()
    }


def dynamic_int8_weights(path: Path) -> dict[str, FloatArray]:
    """The network's tensors read back from a graph that onnxruntime's dynamic int8
    quantization wrote (int8 times scale; named as ``trained_weights`` names them)."""
    graph = onnx.load(str(path)).graph
    arrays = {init.name: numpy_helper.to_array(init) for init in graph.initializer}

    def dequantized(stem: str) -> FloatArray:
        values = arrays[f"{stem}_quantized"].astype(np.float32)
        values -= arrays[f"{stem}_zero_point"].astype(np.float32)
        weights: FloatArray = (values * arrays[f"{stem}_scale"]).astype(np.float32)
        return weights

    weights: dict[str, FloatArray] = {}
    for name, array in arrays.items():
        if array.dtype == np.float32 and array.ndim >= 1 and array.size > 1:
            weights[name.removeprefix("encoder.")] = array
        elif name.endswith(".weight_quantized") and array.ndim == 2:
            # Embedding tables (``encoder.embeddings.*.weight``).
            stem = name.removesuffix("_quantized")
            weights[stem.removeprefix("encoder.")] = dequantized(stem)
    for node in graph.node:
        if node.op_type != "MatMulInteger":
            continue
        # "/encoder/encoder/layer.0/attention/self/query/MatMul_quant" or "/head/Gemm_...".
        path_parts = node.name.strip("/").split("/")[:-1]
        layer = ".".join(path_parts).removeprefix("encoder.")
        # The graph holds ``x @ W.T``; the names hold torch's ``W`` ([out, in]).
        weights[f"{layer}.weight"] = dequantized(node.input[1].removesuffix("_quantized")).T
    return weights


def stance_graph(
    weights: dict[str, FloatArray],
    per_token: bool = False,
    fused: bool = True,
    keep: dict[str, np.ndarray] | None = None,
) -> onnx.ModelProto:
    """The ONNX graph of ``StanceNet`` over ``weights``: the MiniLM (float, or int8 with one
    scale per token when ``per_token``), masked mean pooling, and the head in float."""
    g = Graph(None, per_token, fused, keep)
    states, mask_f = encoder_states(g, weights, per_token, segments=True)
    pooled = mean_pool(g, states, mask_f)
    head = g.const("head.weight_t", np.ascontiguousarray(weights["head.weight"].T))
    bias = g.const("head.bias", weights["head.bias"])
    product = g.op("MatMul", [pooled, head])
    g.nodes.append(helper.make_node("Add", [product, bias], ["logits"], name="logits"))
    return finish(g, "stance_crossencoder", list(PAIR_INPUTS), "logits", STANCE_OUTPUTS)


def run_pairs(path: Path, inputs: dict[str, np.ndarray], batch_size: int) -> FloatArray:
    """The logits of the graph at ``path`` for ``inputs``, ``batch_size`` pairs per call, each
    call padded to its longest pair only."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    session = onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    rows = []
    for first in range(0, len(inputs["input_ids"]), batch_size):
        call = {name: inputs[name][first : first + batch_size] for name in PAIR_INPUTS}
        width = int(call["attention_mask"].sum(axis=1).max())
        (logits,) = session.run(["logits"], {k: v[:, :width] for k, v in call.items()})
        rows.append(logits)
    return np.concatenate(rows).astype(np.float32)


def export(args: argparse.Namespace) -> None:
    """Read the weights, write the float graph and check it, then write the int8 graph, check
    it, and write the fixture."""
    weights_path = Path(args.weights)
    tokenizer = pair_tokenizer()
    issues = [p[0] for p in FIXTURE_PAIRS]
    statements = [p[1] for p in FIXTURE_PAIRS]
    inputs: dict[str, np.ndarray] = dict(pair_arrays(tokenizer, issues, statements))
    meta: dict[str, Any] = {"model": STANCE_MODEL_NAME, "weights": str(weights_path)}
    if weights_path.suffix == ".onnx":
        reference = np.load(args.reference)
        for name in PAIR_INPUTS:
            if not np.array_equal(reference[name], inputs[name]):
                raise SystemExit(f"{args.reference} holds other pairs than FIXTURE_PAIRS")
        expected = reference["logits"]
        weights = dynamic_int8_weights(weights_path)
        # That graph's export record, if it lies beside it (``FILE.json``).
        record = weights_path.with_suffix(".json")
        if record.exists():
            old = json.loads(record.read_text("utf-8"))
            meta.update(training=old.get("training"), step=old.get("step"))
            meta["weights"] = f"{old.get('weights')}, read back from {weights_path}"
    else:
        import torch

        from training.encoder_export import load_trained, write_fixture
        from training.stance_train import StanceNet

        state, model, _ = load_trained(args.weights, lambda folder, _: StanceNet(folder))
        with torch.no_grad():
            expected = model(**{k: torch.from_numpy(v) for k, v in inputs.items()}).numpy()
        weights = trained_weights(state)
        meta.update(training=state["settings"], step=state.get("step"))
        texts = {"issues": np.array(issues), "statements": np.array(statements)}
        write_fixture(args.fixture, expected, {**inputs, **texts})
    work, out = Path(args.work), Path(args.out)
    work.mkdir(parents=True, exist_ok=True)
    out.mkdir(parents=True, exist_ok=True)
    float_path = work / "stance_crossencoder.float.onnx"
    onnx.save(stance_graph(weights), str(float_path))
    float_diff = float(np.abs(run_pairs(float_path, inputs, 1) - expected).max())
    log.info("float ONNX vs torch: max abs difference %.2e", float_diff)
    out_path = out / CROSS_ENCODER_FILE
    keep = graph_constants(Path(args.keep)) if args.keep else None
    onnx.save(stance_graph(weights, per_token=True, keep=keep), str(out_path))
    alone = run_pairs(out_path, inputs, 1)
    together = run_pairs(out_path, inputs, len(FIXTURE_PAIRS))
    int8_diff = float(np.abs(alone - expected).max())
    batch_diff = float(np.abs(alone - together).max())
    log.info(
        "int8 ONNX vs torch: max abs difference %.3f (alone vs together %.1e)",
        int8_diff,
        batch_diff,
    )
    log.info("wrote %s (%.1f MB)", out_path, out_path.stat().st_size / 1e6)
    meta.update(
        int8="matrix products: weights per output column, inputs per token; word embeddings "
        "per row; head in float",
        operators="QuantizeLinear and MatMulIntegerToFloat per product, query, key and value "
        "as one product, MultiHeadAttention",
        kept_constants_of=args.keep,
        export_check={
            "float_max_abs_diff": float_diff,
            "int8_max_abs_diff": int8_diff,
            "int8_mean_abs_diff": float(np.abs(alone - expected).mean()),
            "alone_vs_together_max_abs_diff": batch_diff,
        },
    )
    (out / CROSS_ENCODER_META_FILE).write_text(json.dumps(meta, indent=1) + "\n", "utf-8")


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--weights", default="build/stance/final.pt", help="trained weights")
    parser.add_argument("--out", default="src/onrecord/positions/models", help="model folder")
    parser.add_argument("--work", default="build/stance", help="folder for the float graph")
    parser.add_argument("--fixture", default=None, help="where to write the test fixture (.npz)")
    parser.add_argument(
        "--reference",
        default="tests/positions/data/stance_fixture.npz",
        help="torch's logits for the fixed pairs, for weights read from an ONNX graph",
    )
    parser.add_argument(
        "--keep",
        default=None,
        help="an earlier stance_crossencoder.onnx whose constants (int8 weights, scales) to "
        "keep as they are: the same weights in the graph the writer writes now",
    )
    start(export, parser.parse_args(argv))


if __name__ == "__main__":
    main()
