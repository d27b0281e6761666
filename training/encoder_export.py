"""Export trained encoder weights to the shipped ONNX tagger: ``python -m training.encoder_export``.

Writes into ``--out`` (the runtime's model folder):

- ``attrib_encoder.onnx``: the network with dynamic int8 weights (onnxruntime quantization of the
  matrix products and the embedding tables), inputs ``input_ids``, ``attention_mask``,
  ``in_quote`` and output ``logits`` ``[batch, pieces, 9]``;
- ``encoder_tokenizer.json``: the base model's word-piece tokenizer, truncation and padding off;
- ``encoder.json``: the training settings and the export checks;
- ``--fixture``: a fixed input and the torch logits for it, which the test suite compares the
  shipped ONNX file against (torch is not installed at test time).

Before quantizing, the float ONNX graph is checked against torch on the fixture input.
"""

from __future__ import annotations

import argparse
import json
import logging
from pathlib import Path

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


def export(args: argparse.Namespace) -> None:
    """Load the weights, export, check, quantize and write the fixture."""
    import onnxruntime
    from onnxruntime.quantization import QuantType, quantize_dynamic

    torch.set_num_threads(1)
    folder = base_model_dir()
    state = torch.load(args.weights, weights_only=False)
    settings = state["settings"]
    model = Tagger(folder, settings.get("layers"))
    model.load_state_dict(state["model"])
    model.eval()
    tokenizer = load_tokenizer(folder)
    inputs = fixture_inputs(tokenizer)
    with torch.no_grad():
        expected = model(**{k: torch.from_numpy(v) for k, v in inputs.items()}).numpy()

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    float_path = work / "attrib_encoder.float.onnx"
    names = ["input_ids", "attention_mask", "in_quote"]
    axes = {name: {0: "batch", 1: "pieces"} for name in [*names, "logits"]}
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

    op_types = ["MatMul", "Gather"] if args.quantize_embeddings else ["MatMul"]
    quantize_dynamic(
        float_path, out / ENCODER_FILE, weight_type=QuantType.QInt8, op_types_to_quantize=op_types
    )
    session = onnxruntime.InferenceSession(
        str(out / ENCODER_FILE), providers=["CPUExecutionProvider"]
    )
    (quantized,) = session.run(["logits"], inputs)
    int8_diff = float(np.abs(quantized - expected).max())
    log.info("int8 ONNX vs torch: max abs difference %.3f", int8_diff)

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
    if args.fixture:
        fixture = Path(args.fixture)
        fixture.parent.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(
            fixture,
            logits=expected.astype(np.float32),
            input_ids=inputs["input_ids"],
            attention_mask=inputs["attention_mask"],
            in_quote=inputs["in_quote"],
        )
    log.info("wrote %s (%.1f MB)", out / ENCODER_FILE, (out / ENCODER_FILE).stat().st_size / 1e6)


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--weights", default="build/encoder/final.pt", help="trained weights")
    parser.add_argument("--out", default="src/onrecord/data/models", help="model folder")
    parser.add_argument("--work", default="build/encoder", help="folder for the float graph")
    parser.add_argument("--fixture", default=None, help="where to write the test fixture (.npz)")
    parser.add_argument(
        "--no-quantize-embeddings",
        dest="quantize_embeddings",
        action="store_false",
        help="keep the embedding tables in float (larger file)",
    )
    start(export, parser.parse_args(argv))


if __name__ == "__main__":
    main()
