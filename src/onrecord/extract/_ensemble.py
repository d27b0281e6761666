"""CRF and encoder together: per-token label distributions of both, mixed, then the argmax.

The CRF gives a marginal for each of its seven labels (``O``, ``B-``/``I-`` of cue, source,
content) at every token of a unit. The encoder's three label layers become the same seven labels
with the priority the gold labels use: the cue layer's ``B``/``I`` first, then the source layer's
where the cue layer says ``O``, then the content layer's. The mix is
``weight * encoder + (1 - weight) * crf``; each token takes its most probable label, and that
probability is the token's marginal for the cascade's confidence.

The encoder reads only the units that could hold an attribution by a lexical test
(``needs_encoder``): a quotation mark, or a word whose lemma the cue lexicon gives at least
``gate_p``. The CRF alone tags the others, as the ``fast`` model would. Several docs can be
tagged in one call (``tag_many``); the network still reads each article's windows in calls of
their own, so an article's tags do not depend on the others.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from spacy.tokens import Doc

from onrecord.extract._encoder import EncoderModel, batch_probabilities
from onrecord.extract._extractor import AttributionModel, Tagged
from onrecord.extract._features import Sequences, doc_features
from onrecord.extract._quotes import QUOTE_CHARS

ENSEMBLE_NAME = "attrib.ensemble.v1"
LABELS = ("O", "B-CUE", "I-CUE", "B-SOURCE", "I-SOURCE", "B-CONTENT", "I-CONTENT")
# A unit goes to the encoder when one of its lemmas has at least this cue-lexicon probability
# (or it holds a quotation mark); 0 sends every unit. On PolNeAR dev, 0.35 leaves 26% of the
# units (17% of the word pieces) to the CRF alone for 0.003 loose and quote+speaker F1; 0.2
# leaves 9% of the pieces; 0.42 and 0.5 leave 23% and 27% but cost 0.009 and 0.010 loose F1
# (docs/evaluation.md).
DEFAULT_GATE_P = 0.35


@dataclass(frozen=True, slots=True)
class EnsembleModel:
    """The CRF, the encoder, the encoder's share of the mix and the lexical gate."""

    crf: AttributionModel
    encoder: EncoderModel
    weight: float = 0.5
    gate_p: float = DEFAULT_GATE_P
    name: str = ENSEMBLE_NAME
    calibration: None = None

    def tag(self, doc: Doc) -> Tagged:
        """Tags per unit and the mixed probability of each token's tag."""
        return ensemble_tag_docs([doc], self)[0]

    def tag_many(self, docs: Sequence[Doc]) -> list[Tagged]:
        """``tag`` for several docs, the encoder's windows of all of them read together."""
        return ensemble_tag_docs(docs, self)


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


def needs_encoder(doc: Doc, seqs: Sequences, unit: list[int], gate_p: float) -> bool:
    """Whether the encoder reads ``unit``: it might hold an attribution.

    True when a token lies inside a paired quotation or is a quotation mark of any style (an
    unpaired one included), or when a lemma's cue-lexicon probability (``seqs.cue_p``) reaches
    ``gate_p``; always true when ``gate_p`` is 0.
    """
    if gate_p <= 0.0:
        return True
    cue_p, in_quote = seqs.cue_p, seqs.in_quote
    if any(cue_p[i] >= gate_p or in_quote[i] for i in unit):
        return True
    # spaCy splits quotation marks off as tokens of their own; "'s" is not one.
    return any(all(c in QUOTE_CHARS for c in doc[i].text) for i in unit)


def ensemble_tag_doc(doc: Doc, model: EnsembleModel) -> Tagged:
    """Tag ``doc`` with the mixed distributions (same return shape as the CRF's ``tag_doc``)."""
    return ensemble_tag_docs([doc], model)[0]


def ensemble_tag_docs(docs: Sequence[Doc], model: EnsembleModel) -> list[Tagged]:
    """``ensemble_tag_doc`` for several docs; the encoder reads their windows together."""
    all_seqs = [doc_features(doc, model.crf.cue_p) for doc in docs]
    read = [
        [unit for unit in seqs.units if needs_encoder(doc, seqs, unit, model.gate_p)]
        for doc, seqs in zip(docs, all_seqs, strict=True)
    ]
    layers = batch_probabilities(list(zip(docs, all_seqs, read, strict=True)), model.encoder)
    return [
        _mixed(seqs, probs, {unit[0] for unit in units}, model)
        for seqs, units, probs in zip(all_seqs, read, layers, strict=True)
    ]


def _mixed(seqs: Sequences, layers: np.ndarray, read: set[int], model: EnsembleModel) -> Tagged:
    """Mix the encoder's layers with the CRF's marginals, unit by unit, and take the argmax.

    ``read`` holds the first token of every unit the encoder read. A unit it did not read is
    tagged by the CRF alone, as the ``fast`` model tags it (its best label sequence), each
    token with the CRF's marginal of its tag.
    """
    mixed = model.weight * seven_labels(layers)
    tagger = model.crf.tagger
    known = [label for label in LABELS if label in set(tagger.labels())]
    columns = [LABELS.index(label) for label in known]
    crf_share = 1.0 - model.weight
    prob = [1.0] * len(mixed)
    tags: list[list[str]] = []
    for unit, feats in zip(seqs.units, seqs.features, strict=True):
        if unit[0] not in read:
            unit_tags = tagger.tag(feats)
            tags.append(unit_tags)
            for k, (i, tag) in enumerate(zip(unit, unit_tags, strict=True)):
                prob[i] = tagger.marginal(tag, k)
            continue
        tagger.set(feats)
        marginals = np.array(
            [[tagger.marginal(label, k) for label in known] for k in range(len(unit))]
        )
        mixed[np.ix_(unit, columns)] += crf_share * marginals
        best = mixed[unit].argmax(axis=1).tolist()
        tags.append([LABELS[b] for b in best])
        for i, b in zip(unit, best, strict=True):
            prob[i] = float(mixed[i, b])
    return seqs, tags, prob
