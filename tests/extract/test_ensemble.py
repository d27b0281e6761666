"""The CRF + encoder mix (``attrib.ensemble.v1``)."""

from __future__ import annotations

import numpy as np
import pytest

from onrecord.errors import ConfigError
from onrecord.extract import ENSEMBLE_NAME, EnsembleModel, create_extractor
from onrecord.extract._encoder import layer_probabilities
from onrecord.extract._ensemble import LABELS, seven_labels

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
