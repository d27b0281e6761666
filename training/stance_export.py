"""Export trained stance weights to the shipped ONNX model: ``python -m training.stance_export``.

Writes into ``--out`` (``src/onrecord/positions/models``):

- ``stance_crossencoder.onnx``: the cross-encoder with dynamic int8 weights (one scale per
  output channel), inputs
  ``input_ids``, ``attention_mask``, ``token_type_ids`` and output ``logits`` ``[batch, 11]``
  (four stances, then seven acts);
- ``stance_crossencoder.json``: the training settings and the export checks;
- ``--fixture``: fixed pairs and torch's logits for them, which the test suite compares the
  shipped ONNX file against (torch is not installed at test time).

The tokenizer is the one the attribution encoder ships (same all-MiniLM-L6-v2 vocabulary).
"""

from __future__ import annotations

import argparse
import json
import logging
from pathlib import Path

import numpy as np

from onrecord.positions._encoder import (
    CROSS_ENCODER_FILE,
    CROSS_ENCODER_META_FILE,
    PAIR_INPUTS,
    pair_arrays,
    pair_tokenizer,
)
from onrecord.positions._stance import STANCE_MODEL_NAME
from training._cli import start
from training.encoder_export import export_int8, export_parser, load_trained, write_fixture
from training.stance_train import StanceNet

log = logging.getLogger(__name__)

# Matrix products and the embedding tables get int8 weights.
OP_TYPES = ["MatMul", "Gather"]

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


def export(args: argparse.Namespace) -> None:
    """Load the weights, export, check, quantize and write the fixture."""
    state, model, folder = load_trained(args.weights, lambda folder, _: StanceNet(folder))
    tokenizer = pair_tokenizer(folder / "tokenizer.json")
    issues = [p[0] for p in FIXTURE_PAIRS]
    statements = [p[1] for p in FIXTURE_PAIRS]
    inputs: dict[str, np.ndarray] = dict(pair_arrays(tokenizer, issues, statements))
    out = Path(args.out)
    graph = Path(args.work) / "stance_crossencoder.float.onnx", out / CROSS_ENCODER_FILE
    names = list(PAIR_INPUTS)
    expected, float_diff, int8_diff = export_int8(
        model, inputs, *graph, OP_TYPES, names, per_piece=False, per_channel=True
    )
    meta = {
        "model": STANCE_MODEL_NAME,
        "training": state["settings"],
        "step": state.get("step"),
        "weights": str(args.weights),
        "quantized_ops": OP_TYPES,
        "per_channel": True,
        "export_check": {"float_max_abs_diff": float_diff, "int8_max_abs_diff": int8_diff},
    }
    (out / CROSS_ENCODER_META_FILE).write_text(json.dumps(meta, indent=1) + "\n", "utf-8")
    texts = {"issues": np.array(issues), "statements": np.array(statements)}
    write_fixture(args.fixture, expected, {**inputs, **texts})


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    parser = export_parser(
        __doc__, "build/stance/final.pt", "src/onrecord/positions/models", "build/stance"
    )
    start(export, parser.parse_args(argv))


if __name__ == "__main__":
    main()
