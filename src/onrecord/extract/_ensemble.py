"""CRF and encoder together: per-token label distributions of both, mixed, then the argmax.

The CRF gives a marginal for each of its seven labels (``O``, ``B-``/``I-`` of cue, source,
content) at every token of a unit. The encoder's three label layers become the same seven labels
with the priority the gold labels use: the cue layer's ``B``/``I`` first, then the source layer's
where the cue layer says ``O``, then the content layer's. The mix is
``weight * encoder + (1 - weight) * crf``; each token takes its most probable label, and that
probability is the token's marginal for the cascade's confidence.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from spacy.tokens import Doc

from onrecord.extract._encoder import EncoderModel, encoder_probabilities
from onrecord.extract._extractor import AttributionModel
from onrecord.extract._features import Sequences, doc_features

ENSEMBLE_NAME = "attrib.ensemble.v1"
LABELS = ("O", "B-CUE", "I-CUE", "B-SOURCE", "I-SOURCE", "B-CONTENT", "I-CONTENT")


@dataclass(frozen=True, slots=True)
class EnsembleModel:
    """The CRF, the encoder and the encoder's share of the mix."""

    crf: AttributionModel
    encoder: EncoderModel
    weight: float = 0.5
    name: str = ENSEMBLE_NAME
    calibration: None = None

    def tag(self, doc: Doc) -> tuple[Sequences, list[list[str]], list[float]]:
        """Tags per unit and the mixed probability of each token's tag."""
        return ensemble_tag_doc(doc, self)


def seven_labels(layers: np.ndarray) -> np.ndarray:
    """``[n, 3, 3]`` layer probabilities (cue, source, content) -> ``[n, 7]`` over ``LABELS``."""
    cue, source, content = layers[:, 0], layers[:, 1], layers[:, 2]
    no_cue = cue[:, 0]
    neither = no_cue * source[:, 0]
    out = np.empty((layers.shape[0], len(LABELS)), dtype=np.float64)
    out[:, 0] = neither * content[:, 0]
    out[:, 1:3] = cue[:, 1:3]
    out[:, 3:5] = no_cue[:, None] * source[:, 1:3]
    out[:, 5:7] = neither[:, None] * content[:, 1:3]
    return out


def ensemble_tag_doc(
    doc: Doc, model: EnsembleModel
) -> tuple[Sequences, list[list[str]], list[float]]:
    """Tag ``doc`` with the mixed distributions (same return shape as the CRF's ``tag_doc``)."""
    seqs = doc_features(doc, model.crf.cue_p)
    mixed = model.weight * seven_labels(encoder_probabilities(doc, seqs, model.encoder))
    tagger = model.crf.tagger
    known = [label for label in LABELS if label in set(tagger.labels())]
    columns = [LABELS.index(label) for label in known]
    crf_share = 1.0 - model.weight
    for unit, feats in zip(seqs.units, seqs.features, strict=True):
        tagger.set(feats)
        marginals = np.array(
            [[tagger.marginal(label, k) for label in known] for k in range(len(unit))]
        )
        mixed[np.ix_(unit, columns)] += crf_share * marginals
    best = mixed.argmax(axis=1)
    prob = [1.0] * len(doc)
    tags: list[list[str]] = []
    for unit in seqs.units:
        tags.append([LABELS[int(best[i])] for i in unit])
        for i in unit:
            prob[i] = float(mixed[i, best[i]])
    return seqs, tags, prob
