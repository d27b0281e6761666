"""The CRF + encoder mix (``attrib.ensemble.v1``)."""

from __future__ import annotations

import numpy as np
import pytest

from onrecord.errors import ConfigError
from onrecord.extract import ENSEMBLE_NAME, EnsembleModel, Extractor, create_extractor
from onrecord.extract._encoder import layer_probabilities
from onrecord.extract._ensemble import LABELS, needs_encoder, seven_labels
from onrecord.extract._features import doc_features
from onrecord.extract._quotes import QUOTE_CHARS

TEXT = (
    "Dam repairs delayed\n\n"
    "The water board said on Friday that repairs to the Lessing dam would slip to autumn.\n\n"
    '"We found more cracks than the survey showed," said Petra Lind, the board\'s engineer.\n'
)


def test_seven_labels_keep_the_layer_priority_and_sum_to_one() -> None:
    rng = np.random.default_rng(7)
    layers = layer_probabilities(rng.normal(size=(6, 9)))
    seven = seven_labels(layers)
    assert np.allclose(seven.sum(axis=1), 1.0)
    # A token the cue layer is sure about is a cue whatever the other layers say.
    sure_cue = layer_probabilities(np.array([[-9.0, 9.0, -9.0, -9.0, 9.0, -9.0, -9.0, 9.0, -9.0]]))
    assert LABELS[int(seven_labels(sure_cue).argmax())] == "B-CUE"


def _agreement(a: list[list[str]], b: list[list[str]]) -> float:
    pairs = [
        (x, y)
        for unit_a, unit_b in zip(a, b, strict=True)
        for x, y in zip(unit_a, unit_b, strict=True)
    ]
    return sum(x == y for x, y in pairs) / len(pairs)


@pytest.mark.parametrize(("weight", "alone"), [(0.0, "crf"), (1.0, "encoder")])
def test_a_weight_at_either_end_tags_like_that_model_alone(weight: float, alone: str) -> None:
    mixed = create_extractor(ENSEMBLE_NAME, weight=weight)
    assert isinstance(mixed.model, EnsembleModel)
    doc = mixed.nlp(TEXT)
    _, mixed_tags, _ = mixed.model.tag(doc)
    single = mixed.model.crf if alone == "crf" else mixed.model.encoder
    _, single_tags, _ = single.tag(doc)
    # Per-token argmax of one model's marginals is its own decoding up to near-ties.
    assert _agreement(mixed_tags, single_tags) >= 0.95
    found = mixed.attributions(doc)
    assert found
    assert {a.extractor for a in found} == {ENSEMBLE_NAME}


def test_weight_outside_zero_to_one_is_refused() -> None:
    with pytest.raises(ConfigError, match="between 0 and 1"):
        create_extractor(ENSEMBLE_NAME, weight=1.5)


# Paragraphs of one article: the gate must send the six after the headline to the encoder (a
# quotation mark of some style, or a reporting word) and may skip the headline and the last two
# (neither).
GATED_ARTICLE = (
    "Harbour dredging to resume in May\n\n"
    '"The channel is silting faster than we planned for," a pilot on the night shift said.\n\n'
    "The old pier was the \u201cwidow\u201d of the harbour before it was rebuilt.\n\n"
    "A placard at the gate read \u00abno entry after dusk\u00bb until the summer.\n\n"
    "The leaflet opened with \u201cdredging resumes and ran on without closing.\n\n"
    "The harbour master argued that the contract left too little margin.\n\n"
    "According to the port authority, two dredgers will work in shifts.\n\n"
    "Two dredgers arrived from Rotterdam on Tuesday.\n\n"
    "The work will take eleven weeks and cost four million euros.\n"
)
GATE_P = 0.35


@pytest.fixture(scope="module")
def gated() -> Extractor:
    return create_extractor(ENSEMBLE_NAME, gate_p=GATE_P)


def _paragraphs_read(extractor: Extractor, text: str) -> dict[str, bool]:
    """Per unit of ``text`` (by its first words), whether the gate sends it to the encoder."""
    model = extractor.model
    assert isinstance(model, EnsembleModel)
    doc = extractor.nlp(text)
    seqs = doc_features(doc, model.crf.cue_p)
    return {
        " ".join(doc[i].text for i in unit[:3]): needs_encoder(doc, seqs, unit, model.gate_p)
        for unit in seqs.units
    }


def test_the_gate_never_skips_a_paragraph_with_a_quotation_mark_or_a_reporting_word(
    gated: Extractor,
) -> None:
    read = _paragraphs_read(gated, GATED_ARTICLE)
    assert list(read.values()) == [False, True, True, True, True, True, True, False, False]
    # Checked again from the parse alone: every skipped unit holds no mark of any quotation
    # style and no lemma the cue lexicon rates at the gate's level or above.
    model = gated.model
    assert isinstance(model, EnsembleModel)
    doc = gated.nlp(GATED_ARTICLE)
    seqs = doc_features(doc, model.crf.cue_p)
    for unit in seqs.units:
        tokens = [doc[i] for i in unit]
        if not needs_encoder(doc, seqs, unit, GATE_P):
            assert not any(c in QUOTE_CHARS for t in tokens for c in t.text)
            assert all(model.crf.cue_p.get(t.lemma_.lower(), 0.0) < GATE_P for t in tokens)


def test_a_gate_of_zero_reads_every_paragraph() -> None:
    every = create_extractor(ENSEMBLE_NAME, gate_p=0.0)
    assert all(_paragraphs_read(every, GATED_ARTICLE).values())


def test_a_paragraph_the_gate_skips_is_tagged_by_the_crf_alone(gated: Extractor) -> None:
    model = gated.model
    assert isinstance(model, EnsembleModel)
    doc = gated.nlp(GATED_ARTICLE)
    seqs, tags, prob = model.tag(doc)
    _, crf_tags, _ = model.crf.tag(doc)
    skipped = [
        k for k, unit in enumerate(seqs.units) if not needs_encoder(doc, seqs, unit, model.gate_p)
    ]
    assert len(skipped) == 3
    assert [tags[k] for k in skipped] == [crf_tags[k] for k in skipped]
    assert all(0.0 < prob[i] <= 1.0 for k in skipped for i in seqs.units[k])


def test_gate_outside_zero_to_one_is_refused() -> None:
    with pytest.raises(ConfigError, match="gate_p"):
        create_extractor(ENSEMBLE_NAME, gate_p=-0.1)


def test_tagging_docs_together_matches_tagging_each_alone(gated: Extractor) -> None:
    other = TEXT.replace("Petra Lind", "Jon Aas").replace("Friday", "Monday")
    docs = [gated.nlp(GATED_ARTICLE), gated.nlp(other)]
    together = gated.tag_many(docs)
    again = gated.tag_many(docs)
    alone = [gated.model.tag(doc) for doc in docs]
    for (_, tags, prob), (_, tags_again, prob_again), (_, tags_alone, prob_alone) in zip(
        together, again, alone, strict=True
    ):
        assert tags == tags_again
        assert prob == prob_again
        assert _agreement(tags, tags_alone) >= 0.97
        # Dynamic int8 scales each network call's inputs together (see test_encoder): the
        # mixed probabilities move a little with the company a window keeps, the tags hardly.
        diffs = [abs(a - b) for a, b in zip(prob, prob_alone, strict=True)]
        assert sum(diffs) / len(diffs) < 0.02
