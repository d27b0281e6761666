"""Export trained encoder weights to the shipped ONNX tagger: ``python -m training.encoder_export``.

Writes into ``--out`` (the runtime's model folder):

- ``attrib_encoder.onnx``: the network with dynamic int8 weights (onnxruntime quantization of the
  matrix products and the embedding tables) and the attention's masking simplified
  (``simplify_attention``) and each layer's attention fused into one node
  (``fuse_attention``), inputs ``input_ids``, ``attention_mask``, ``in_quote`` and output
  ``logits`` ``[batch, pieces, 9]``;
- ``encoder_tokenizer.json``: the base model's word-piece tokenizer, truncation and padding off;
- ``encoder.json``: the training settings and the export checks;
- ``--fixture``: a fixed input, the torch logits for it, and the int8 graph's logits before its
  attention was fused (``int8_logits``), which the test suite compares the shipped ONNX file
  against (torch is not installed at test time).

Before quantizing, the float ONNX graph is checked against torch on the fixture input.
"""

from __future__ import annotations

import argparse
import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import torch

from onrecord.extract._encoder import (
    ENCODER_FILE,
    ENCODER_META_FILE,
    TOKENIZER_FILE,
    batch_arrays,
    windows,
)
from training._cli import start
from training.encoder_train import Tagger, base_model_dir, load_tokenizer
from training.onnx_graph import rewrite_graph

log = logging.getLogger(__name__)

# The fixed input of the export check and of the test fixture: three short paragraphs.
FIXTURE_PARAGRAPHS = (
    '"We will reopen the bridge by spring," the county engineer, Dana Whitlock, said on Monday.',
    "Residents told the council that the detour had doubled their commute.",
    "The budget for repairs remains under review.",
)


def fixture_inputs(tokenizer: object) -> dict[str, np.ndarray]:
    """Network inputs for ``FIXTURE_PARAGRAPHS`` (whitespace words, quotes flagged by marks)."""
    words: list[str] = []
    units: list[list[int]] = []
    in_quote: list[bool] = []
    for paragraph in FIXTURE_PARAGRAPHS:
        unit = []
        inside = False
        for word in paragraph.split():
            opens = word.startswith('"')
            inside = inside or opens
            unit.append(len(words))
            words.append(word)
            in_quote.append(inside)
            if word.rstrip(",.").endswith('"') and not (opens and len(word) == 1):
                inside = False
        units.append(unit)
    return batch_arrays(windows(tokenizer, words, units, in_quote))  # type: ignore[arg-type]


def load_trained(
    weights: str, build: Callable[[Path, dict[str, Any]], torch.nn.Module]
) -> tuple[dict[str, Any], torch.nn.Module, Path]:
    """The saved record at ``weights``, the network ``build(base folder, settings)`` loaded with
    its weights (eval mode, one thread), and the base model folder."""
    torch.set_num_threads(1)
    folder = base_model_dir()
    state: dict[str, Any] = torch.load(weights, weights_only=False)
    model = build(folder, state["settings"])
    model.load_state_dict(state["model"])
    model.eval()
    return state, model, folder


def write_fixture(
    path: str | None,
    expected: np.ndarray,
    inputs: dict[str, np.ndarray],
    **more: np.ndarray,
) -> None:
    """Save the fixed input and torch's logits for the test suite, and any ``more`` outputs
    (nothing when ``path`` is ``None``)."""
    if not path:
        return
    fixture = Path(path)
    fixture.parent.mkdir(parents=True, exist_ok=True)
    extra = {k: v.astype(np.float32) for k, v in more.items()}
    np.savez_compressed(
        fixture, allow_pickle=False, logits=expected.astype(np.float32), **inputs, **extra
    )


def export_int8(
    model: torch.nn.Module,
    inputs: dict[str, np.ndarray],
    float_path: Path,
    out_path: Path,
    op_types: list[str],
    names: list[str],
    per_piece: bool,
    per_channel: bool = False,
) -> tuple[np.ndarray, float, float]:
    """Export ``model`` to ONNX, check it against torch, and write the int8 graph.

    Args:
        model: the network in eval mode; its output is named ``logits``.
        inputs: the fixed input (int64 arrays by input name).
        float_path: where the float graph goes (kept for inspection).
        out_path: the dynamically quantized graph.
        op_types: the operators to quantize.
        names: the input names, in the order ``model.forward`` takes them.
        per_piece: the output has a piece axis (``[batch, pieces, n]``) besides the batch axis.
        per_channel: one int8 scale per output channel of each weight matrix instead of one
            per matrix (same size, closer to the float graph).

    Returns:
        torch's output for ``inputs``, and the largest absolute difference to it of the float
        graph and of the int8 graph.
    """
    import onnxruntime
    from onnxruntime.quantization import QuantType, quantize_dynamic

    float_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    with torch.no_grad():
        expected = model(**{k: torch.from_numpy(v) for k, v in inputs.items()}).numpy()

    axes = {name: {0: "batch", 1: "pieces"} for name in names}
    axes["logits"] = {0: "batch", 1: "pieces"} if per_piece else {0: "batch"}
    torch.onnx.export(
        model,
        tuple(torch.from_numpy(inputs[k]) for k in names),
        str(float_path),
        input_names=names,
        output_names=["logits"],
        dynamic_axes=axes,
        opset_version=17,
        dynamo=False,
    )
    session = onnxruntime.InferenceSession(str(float_path), providers=["CPUExecutionProvider"])
    (got,) = session.run(["logits"], inputs)
    float_diff = float(np.abs(got - expected).max())
    log.info("float ONNX vs torch: max abs difference %.2e", float_diff)
    if float_diff > 1e-3:
        raise SystemExit(f"the exported graph differs from torch by {float_diff}")
    quantize_dynamic(
        float_path,
        out_path,
        weight_type=QuantType.QInt8,
        op_types_to_quantize=op_types,
        per_channel=per_channel,
    )
    session = onnxruntime.InferenceSession(str(out_path), providers=["CPUExecutionProvider"])
    (quantized,) = session.run(["logits"], inputs)
    int8_diff = float(np.abs(quantized - expected).max())
    log.info("int8 ONNX vs torch: max abs difference %.3f", int8_diff)
    log.info("wrote %s (%.1f MB)", out_path, out_path.stat().st_size / 1e6)
    return expected, float_diff, int8_diff


def export(args: argparse.Namespace) -> None:
    """Load the weights, export, check, quantize and write the fixture."""
    state, model, folder = load_trained(
        args.weights, lambda folder, settings: Tagger(folder, settings.get("layers"))
    )
    settings = state["settings"]
    inputs = fixture_inputs(load_tokenizer(folder))
    out = Path(args.out)
    op_types = ["MatMul", "Gather"] if args.quantize_embeddings else ["MatMul"]
    expected, float_diff, int8_diff = export_int8(
        model,
        inputs,
        Path(args.work) / "attrib_encoder.float.onnx",
        out / ENCODER_FILE,
        op_types,
        ["input_ids", "attention_mask", "in_quote"],
        per_piece=True,
    )
    unfused = rewrite_graph(out / ENCODER_FILE, inputs)

    spec = json.loads((folder / "tokenizer.json").read_text("utf-8"))
    spec["truncation"] = None
    spec["padding"] = None
    (out / TOKENIZER_FILE).write_text(json.dumps(spec, ensure_ascii=False) + "\n", "utf-8")
    meta = {
        "extractor": "attrib.encoder.v1",
        "training": settings,
        "step": state.get("step"),
        "quantized_ops": op_types,
        "export_check": {"float_max_abs_diff": float_diff, "int8_max_abs_diff": int8_diff},
    }
    (out / ENCODER_META_FILE).write_text(json.dumps(meta, indent=1) + "\n", "utf-8")
    write_fixture(args.fixture, expected, inputs, int8_logits=unfused)


def export_parser(doc: str | None, weights: str, out: str, work: str) -> argparse.ArgumentParser:
    """The options every export command takes: weights, model folder, work folder, fixture."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0] if doc else None)
    parser.add_argument("--weights", default=weights, help="trained weights")
    parser.add_argument("--out", default=out, help="model folder")
    parser.add_argument("--work", default=work, help="folder for the float graph")
    parser.add_argument("--fixture", default=None, help="where to write the test fixture (.npz)")
    return parser


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    parser = export_parser(
        __doc__, "build/encoder/final.pt", "src/onrecord/data/models", "build/encoder"
    )
    parser.add_argument(
        "--no-quantize-embeddings",
        dest="quantize_embeddings",
        action="store_false",
        help="keep the embedding tables in float (larger file)",
    )
    start(export, parser.parse_args(argv))


if __name__ == "__main__":
    main()
