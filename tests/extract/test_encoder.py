"""The encoder tagger (``attrib.encoder.v1``): windows, layer merging, the shipped ONNX file."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from onrecord.errors import ExtractError
from onrecord.extract import ENCODER_NAME, EncoderModel, Extractor, create_extractor
from onrecord.extract._encoder import (
    MAX_PIECES,
    Window,
    batch_arrays,
    batch_probabilities,
    encoder_probabilities,
    layer_probabilities,
    length_batches,
    load_encoder,
    merge_layers,
    windows,
)
from onrecord.extract._features import doc_features
from onrecord.models import Attribution

FIXTURE = Path(__file__).with_name("data") / "encoder_fixture.npz"
# The shipped graph has dynamic int8 weights: against torch's float logits (|logit| up to about 6)
# they move by 0.19 on average and 1.7 at most on the fixture, label probabilities by 0.007 on
# average (the float graph agrees with torch to 1e-5, checked at export); the labels they choose
# must still agree.
INT8_MAX_ABS_DIFF = 2.5
INT8_MEAN_ABS_DIFF = 0.3
INT8_MEAN_PROBABILITY_DIFF = 0.02
INT8_MIN_LABEL_AGREEMENT = 0.97


@pytest.fixture(scope="module")
def accurate() -> Extractor:
    return create_extractor(ENCODER_NAME)


@pytest.fixture(scope="module")
def encoder(accurate: Extractor) -> EncoderModel:
    assert isinstance(accurate.model, EncoderModel)
    return accurate.model


def test_onnx_logits_equal_the_training_frameworks_on_the_fixed_input(
    encoder: EncoderModel,
) -> None:
    fixture = np.load(FIXTURE)
    inputs = {k: fixture[k] for k in ("input_ids", "attention_mask", "in_quote")}
    (got,) = encoder.session.run(["logits"], inputs)
    want = fixture["logits"]
    assert got.shape == want.shape
    real = inputs["attention_mask"].astype(bool)
    diff = np.abs(got - want)[real]
    assert diff.max() < INT8_MAX_ABS_DIFF
    assert diff.mean() < INT8_MEAN_ABS_DIFF
    probability_diff = np.abs(layer_probabilities(got) - layer_probabilities(want))[real]
    assert probability_diff.mean() < INT8_MEAN_PROBABILITY_DIFF
    got_labels = got.reshape(*got.shape[:2], 3, 3).argmax(-1)[real]
    want_labels = want.reshape(*want.shape[:2], 3, 3).argmax(-1)[real]
    assert (got_labels == want_labels).mean() >= INT8_MIN_LABEL_AGREEMENT


def test_windows_cover_every_word_once_and_start_at_its_first_piece(
    encoder: EncoderModel,
) -> None:
    words = ["Brennholz", "prices", "rose", ",", "said", "Oskarine", "Valdt", "."] * 80
    units = [list(range(len(words))), [0, 1, 2]]
    in_quote = [k % 3 == 0 for k in range(len(words))]
    cut = windows(encoder.tokenizer, words, units, in_quote)
    assert len(cut) > 2
    assert [t for w in cut[:-1] for t in w.words] == units[0]
    assert cut[-1].words == [0, 1, 2]
    cls_id, sep_id = (encoder.tokenizer.token_to_id(t) for t in ("[CLS]", "[SEP]"))
    for window in cut:
        assert len(window.ids) <= MAX_PIECES + 2
        assert window.ids[0] == cls_id
        assert window.ids[-1] == sep_id
        for token, position in zip(window.words, window.first, strict=True):
            piece = encoder.tokenizer.id_to_token(window.ids[position])
            assert piece is not None
            assert not piece.startswith("##")
            assert words[token].lower().startswith(piece)
            assert window.in_quote[position] == int(in_quote[token])


def test_batch_arrays_pad_to_the_longest_window(encoder: EncoderModel) -> None:
    cut = windows(
        encoder.tokenizer,
        ["Short", "one", "a", "much", "longer", "one"],
        [[0, 1], [2, 3, 4, 5]],
        [False] * 6,
    )
    arrays = batch_arrays(cut)
    assert arrays["input_ids"].shape == (2, 6)
    assert arrays["attention_mask"].sum(axis=1).tolist() == [4, 6]
    assert arrays["input_ids"][0, 4:].tolist() == [0, 0]


def test_cue_outranks_source_and_source_outranks_content() -> None:
    # Words: outside everywhere; content only; content and source; all three layers.
    logits = np.full((4, 9), -5.0, dtype=np.float32)
    logits[:, [0, 3, 6]] = 5.0
    logits[1, 6], logits[1, 7] = -5.0, 5.0
    logits[2, 3], logits[2, 5], logits[2, 6], logits[2, 8] = -5.0, 5.0, -5.0, 5.0
    logits[3, 0], logits[3, 1] = -5.0, 5.0
    logits[3, 3], logits[3, 4], logits[3, 6], logits[3, 8] = -5.0, 5.0, -5.0, 5.0
    tags, probs = merge_layers(layer_probabilities(logits))
    assert tags == ["O", "B-CONTENT", "I-SOURCE", "B-CUE"]
    assert all(0.99 < p <= 1.0 for p in probs)


def test_layer_probabilities_sum_to_one_per_layer() -> None:
    rng = np.random.default_rng(3)
    probs = layer_probabilities(rng.normal(size=(2, 5, 9)).astype(np.float32))
    assert probs.shape == (2, 5, 3, 3)
    assert np.allclose(probs.sum(-1), 1.0, atol=1e-6)


def test_missing_model_files_name_the_folder_and_the_fix(tmp_path: Path) -> None:
    with pytest.raises(ExtractError, match="make train-accurate") as caught:
        load_encoder(tmp_path)
    assert str(tmp_path) in str(caught.value)


def test_accurate_model_finds_a_quotation_and_its_speaker(accurate: Extractor) -> None:
    text = (
        "Ferry service cut\n\n"
        "The island council will halve the winter ferry timetable from November.\n\n"
        '"We cannot keep running empty boats," said Maren Holt, the council\'s transport chief.\n'
    )
    found: list[Attribution] = accurate.attributions(accurate.nlp(text))
    direct = [a for a in found if a.kind == "direct"]
    assert direct, found
    quote = direct[0]
    assert text[quote.content.start : quote.content.end].startswith('"We cannot keep')
    assert quote.source is not None
    assert "Maren Holt" in text[quote.source.start : quote.source.end]
    assert quote.extractor == ENCODER_NAME
    assert 0.0 < quote.confidence <= 1.0


# Dynamic int8 quantizes each layer's input with one scale per network call, so a window's
# output moves a little with the windows it shares a call with; its labels must not.
BATCHED_MAX_PROBABILITY_DIFF = 0.1
BATCHED_MIN_LABEL_AGREEMENT = 0.97


def test_windows_read_in_shared_batches_match_windows_read_one_by_one(
    accurate: Extractor, encoder: EncoderModel
) -> None:
    texts = [
        "Ferry service cut\n\n"
        "The island council will halve the winter ferry timetable from November.\n\n"
        '"We cannot keep running empty boats," said Maren Holt, the council\'s chief.\n',
        "Orchard frost\n\nGrowers lost a third of the apple blossom overnight, the union said.\n\n"
        "\u201cIt is the worst April in twenty years,\u201d said Tomas Ek, who farms near Kivik. "
        "He added that insurers had already been called.\n",
    ]
    items = []
    for doc in accurate.nlp.pipe(texts):
        seqs = doc_features(doc, {}, has_features=False)
        items.append((doc, seqs, seqs.units))
    together = batch_probabilities(items, encoder)
    again = batch_probabilities(items, encoder)
    assert all(np.array_equal(a, b) for a, b in zip(together, again, strict=True))
    # An article reads the same alone as beside others, in either order.
    reversed_order = batch_probabilities(items[::-1], encoder)[::-1]
    for item, probs, swapped in zip(items, together, reversed_order, strict=True):
        assert np.array_equal(probs, batch_probabilities([item], encoder)[0])
        assert np.array_equal(probs, swapped)
    one_by_one = replace(encoder, batch_size=1)
    for (doc, seqs, units), probs in zip(items, together, strict=True):
        alone = encoder_probabilities(doc, seqs, one_by_one)
        assert probs.shape == alone.shape == (len(doc), 3, 3)
        words = [i for unit in units for i in unit]
        assert np.abs(probs[words] - alone[words]).max() < BATCHED_MAX_PROBABILITY_DIFF
        agreement = (probs[words].argmax(-1) == alone[words].argmax(-1)).mean()
        assert agreement >= BATCHED_MIN_LABEL_AGREEMENT
        # Tokens outside every unit (line breaks) stay outside every layer.
        outside = [i for i in range(len(doc)) if i not in set(words)]
        assert outside
        assert (probs[outside, :, 0] == 1.0).all()


def _windows_of(lengths: list[int]) -> list[Window]:
    return [Window([0] * n, [0] * n, [k], [1]) for k, n in enumerate(lengths)]


def test_length_batches_keep_every_window_in_order_and_pad_only_where_a_call_costs_more() -> None:
    cut = _windows_of([5, 5, 6, 9, 30, 31, 32, 33, 33, 120])
    plain = length_batches(cut, 4, -1)
    assert [len(b) for b in plain] == [4, 4, 2]
    for call_pieces in (0, 3, 10, 40, 10_000):
        batches = length_batches(cut, 4, call_pieces)
        assert [w for b in batches for w in b] == cut
        assert all(1 <= len(b) <= 4 for b in batches)
    # Calls that cost nothing: every call holds windows of one length, nothing is padded.
    assert all(len({len(w.ids) for w in b}) == 1 for b in length_batches(cut, 4, 0))
    # Calls that cost more than any padding: as few calls as the cap allows.
    assert len(length_batches(cut, 4, 10_000)) == 3
    # In between, the long window gets a call of its own rather than padding three others.
    middle = length_batches(cut, 4, 10)
    assert [len(w.ids) for w in middle[-1]] == [120]
    padded = sum(len(b) * len(b[-1].ids) for b in middle)
    assert padded < sum(len(b) * len(b[-1].ids) for b in plain)
