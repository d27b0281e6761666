"""The stance cross-encoder (``stance.crossencoder.v2``): the shipped ONNX file against torch,
the pair inputs, batches, and what the classifier returns on news statements."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from onrecord.errors import ExtractError
from onrecord.positions import ACTS, STANCE_MODEL_NAME, STANCES, StanceClassifier
from onrecord.positions import _encoder as pairs
from onrecord.positions._encoder import CrossEncoder

FIXTURE = Path(__file__).with_name("data") / "stance_fixture.npz"
# The shipped graph runs int8 (weights per output column, inputs per token). Against torch's
# float logits the int8 ones may move a little (by at most INT8_MAX_ABS_DIFF,
# INT8_MEAN_ABS_DIFF on average), so a label int8 chooses must be one torch scores within
# NEAR_TIE of its own best: a near tie may flip, nothing else. onnxruntime's int8 kernels differ
# by CPU: 0.24 and 0.06 on the CPU the graph was exported on, 0.594 and 0.133 on an AVX2 CPU
# without VNNI (docs/positions.md, "Int8 results by CPU").
INT8_MAX_ABS_DIFF, INT8_MEAN_ABS_DIFF = 0.75, 0.2
# A pair's logits alone and within a batch (float rounding only; 9.5e-7 at export).
BATCH_ROUNDING = 1e-5
NEAR_TIE = 2.0


@pytest.fixture(scope="module")
def cross_encoder() -> CrossEncoder:
    return CrossEncoder()


def test_onnx_logits_equal_the_training_frameworks_on_the_fixed_input(
    cross_encoder: CrossEncoder,
) -> None:
    fixture = np.load(FIXTURE)
    issues = [str(s) for s in fixture["issues"]]
    statements = [str(s) for s in fixture["statements"]]
    # The runtime cuts and pads the pairs exactly as training did.
    inputs = pairs.pair_arrays(cross_encoder.tokenizer, issues, statements)
    for name in pairs.PAIR_INPUTS:
        assert np.array_equal(inputs[name], fixture[name]), name
    got = cross_encoder.logits(issues, statements)
    want = fixture["logits"]
    assert got.shape == want.shape == (len(issues), len(STANCES) + len(ACTS))
    diff = np.abs(got - want)
    assert diff.max() < INT8_MAX_ABS_DIFF
    assert diff.mean() < INT8_MEAN_ABS_DIFF
    for head in (slice(0, len(STANCES)), slice(len(STANCES), None)):
        chosen = got[:, head].argmax(1)
        best = want[:, head].max(1)
        assert (want[:, head][np.arange(len(chosen)), chosen] >= best - NEAR_TIE).all()


def test_a_pairs_logits_do_not_depend_on_the_pairs_run_with_it(
    cross_encoder: CrossEncoder,
) -> None:
    # Run in batches of every size, padded to the longest pair of the batch: only float
    # rounding may differ (one scale per token, never per call).
    issues = ["Foreign monitors work at the Orvel weir"] * 4 + [
        "The Harbour Line tram is extended to Westgate"
    ] * 3
    statements = [
        "We will never accept foreign monitors at the Orvel weir.",
        "Monitors at the weir would be welcome, and we will say so at the talks, "
        "whatever the river council decides about the inspection rota next spring.",
        "No.",
        "The ferry timetable changes on Monday.",
        "We will back the extension only if the depot stays in Eastbank, Whitlock said.",
        "Councillor Dana Whitlock demanded that the tram reach Westgate by 2030.",
        "Westgate traders say the tram would bring customers, but the works would close "
        "their street for two summers, and nobody has told them who pays for the losses.",
    ]
    together = cross_encoder.logits(issues, statements)
    reordered = cross_encoder.logits(issues[::-1], statements[::-1])
    in_threes = CrossEncoder(batch_size=3).logits(issues, statements)
    for row, (issue, statement) in enumerate(zip(issues, statements, strict=True)):
        alone = cross_encoder.logits([issue], [statement])[0]
        assert np.allclose(alone, together[row], atol=BATCH_ROUNDING, rtol=0), statement
        assert np.allclose(alone, in_threes[row], atol=BATCH_ROUNDING, rtol=0), statement
        # Batched or not, the pair gets the same labels.
        assert alone[: len(STANCES)].argmax() == together[row, : len(STANCES)].argmax()
    assert np.allclose(reordered[::-1], together, atol=BATCH_ROUNDING, rtol=0)
    assert cross_encoder.logits([], []).shape == (0, len(STANCES) + len(ACTS))


def test_pairs_are_cut_to_the_token_limit_and_keep_both_parts() -> None:
    tokenizer = pairs.pair_tokenizer()
    issue = "The Harbour Line tram is extended to Westgate"
    long_statement = "The councillor spoke about the tram and the depot at length. " * 40
    arrays = pairs.pair_arrays(tokenizer, [issue, issue], [long_statement, "Yes."])
    assert arrays["input_ids"].shape[1] == pairs.PAIR_MAX_TOKENS
    assert arrays["attention_mask"][1].sum() < pairs.PAIR_MAX_TOKENS
    types = arrays["token_type_ids"][0]
    assert types[0] == 0
    assert types[pairs.PAIR_MAX_TOKENS - 1] == 1
    # The issue survives whole: the longer part is cut first.
    issue_pieces = len(tokenizer.encode(issue).ids)
    assert int((types == 0).sum()) == issue_pieces


def test_classifier_reads_demands_refusals_and_conditions(cross_encoder: CrossEncoder) -> None:
    classifier = StanceClassifier()
    assert classifier.name == STANCE_MODEL_NAME
    issue = "The Harlow agreement includes security guarantees for Tessaly"
    results = classifier.classify_many(
        [
            "We will demand that ironclad security guarantees become part of this agreement, "
            "Tessaly's foreign minister said.",
            "Dorvan's negotiator rejected any security guarantees for Tessaly.",
            "Dorvan could accept guarantees for Tessaly only if its troops leave the Ossen "
            "border first, the negotiator said.",
        ],
        [issue] * 3,
    )
    demand, refusal, conditional = results
    assert (demand.stance, demand.act) == ("supports", "demand")
    assert (refusal.stance, refusal.act) == ("opposes", "refusal")
    assert conditional.stance == "conditional"
    assert conditional.condition is not None
    assert "troops leave the Ossen border" in conditional.condition
    assert demand.support_probability > 0.5 > refusal.support_probability


def test_missing_model_file_names_the_command(tmp_path: Path) -> None:
    with pytest.raises(ExtractError, match="make train-stance"):
        CrossEncoder(tmp_path / "none.onnx")


def test_rules_only_classifier_needs_no_model() -> None:
    rules = StanceClassifier(use_model=False)
    assert rules.name == "stance.rules.v2"
    assert rules.support_probabilities(["We back it."], ["The bridge is built"]) == [0.5]
