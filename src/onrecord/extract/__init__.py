"""Extract: Article text parsed by spaCy -> Attribution records (content, cue, source spans).

Load once, then parse and extract per article::

    extractor = load_extractor()
    for doc in extractor.nlp.pipe(texts):
        attributions = extractor.attributions(doc)

The cascade (quote pairing, token tagging, cue attachment, source linking) is described in
``onrecord.extract._extractor``. The parse needs ``tok2vec``, ``tagger``, ``parser``,
``attribute_ruler``, ``lemmatizer`` and ``ner``; the shipped models use all of them. The
attribute ruler and the rule lemmatizer run through ``onrecord.extract._rules``, which sets the
same annotations in less time.

Two models ship, chosen by name (``create_extractor("fast")``, ``--model``, or
``[extract] model`` in ``onrecord.toml``): ``fast`` is the CRF tagger ``attrib.crf.v1``;
``accurate`` (``attrib.ensemble.v1``) mixes the CRF's label marginals with those of the
fine-tuned MiniLM encoder ``attrib.encoder.v1``, run with onnxruntime. The encoder alone is
registered too.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from onrecord.config import DEFAULT_EXTRACT_MODEL
from onrecord.errors import ConfigError, ExtractError
from onrecord.extract._breaks import with_heading_breaks
from onrecord.extract._encoder import (
    DEFAULT_BATCH_SIZE,
    DEFAULT_CALL_PIECES,
    ENCODER_NAME,
    EncoderModel,
    load_encoder,
)
from onrecord.extract._ensemble import DEFAULT_GATE_P, ENSEMBLE_NAME, EnsembleModel
from onrecord.extract._extractor import (
    EXTRACTOR_NAME,
    AttributionModel,
    Tagged,
    TokenTagger,
    extract_attributions,
    load_model,
)
from onrecord.extract._rules import with_fast_rules
from onrecord.lang.en import RESOURCES as ENGLISH
from onrecord.models import Attribution
from onrecord.registry import Registry, load_plugins

__all__ = [
    "DEFAULT_MODEL",
    "ENCODER_NAME",
    "ENSEMBLE_NAME",
    "EXTRACTORS",
    "EXTRACTOR_NAME",
    "MODELS",
    "NLP_MODEL",
    "AttributionModel",
    "EncoderModel",
    "EnsembleModel",
    "Extractor",
    "Tagged",
    "TokenTagger",
    "create_extractor",
    "default_model_dir",
    "extract_attributions",
    "load_encoder_extractor",
    "load_ensemble_extractor",
    "load_extractor",
    "load_model",
    "registry_name",
]

log = logging.getLogger(__name__)

NLP_MODEL = ENGLISH.spacy_model
# Short model names users choose from, and the registered extractor each one builds. The
# accurate model mixes the encoder's and the CRF's label distributions half and half: on PolNeAR
# dev that scored above either alone on every span and speaker measure (docs/evaluation.md).
# The default (DEFAULT_MODEL) is set in config.py.
MODELS = {"fast": EXTRACTOR_NAME, "accurate": ENSEMBLE_NAME}
DEFAULT_MODEL = DEFAULT_EXTRACT_MODEL


def default_model_dir() -> Path:
    """The folder of the trained model shipped with the package."""
    return Path(str(resources.files("onrecord") / "data" / "models"))


class Extractor:
    """A spaCy pipeline and the attribution model, loaded once and reused for every article."""

    def __init__(self, nlp: Language, model: TokenTagger) -> None:
        """Wrap a loaded pipeline and model; use ``create_extractor`` to build one."""
        self.nlp = nlp
        self.model = model
        self.name = model.name

    def attributions(self, doc: Doc) -> list[Attribution]:
        """Attributions in ``doc`` (parsed by ``self.nlp``), in text order."""
        return extract_attributions(doc, self.model)

    def tag_many(self, docs: Sequence[Doc]) -> list[Tagged]:
        """The model's tags for several parsed docs at once (the encoder batches across them)."""
        many: Callable[[Sequence[Doc]], list[Tagged]] | None = getattr(self.model, "tag_many", None)
        if many is None:
            return [self.model.tag(doc) for doc in docs]
        return many(docs)


def load_extractor(model_dir: Path | None = None, *, is_calibrated: bool = True) -> Extractor:
    """Load the spaCy pipeline and the trained attribution model.

    Args:
        model_dir: Folder holding the model files; the shipped model when ``None``.
        is_calibrated: Report calibrated confidences (the folder's ``calibration.json``);
            when false, the raw mean CRF marginals.

    Returns:
        A ready extractor.

    Raises:
        ExtractError: The spaCy pipeline or the model files cannot be loaded.
    """
    folder = model_dir if model_dir is not None else default_model_dir()
    model = load_model(folder, is_calibrated=is_calibrated)
    log.debug("loaded %s from %s", EXTRACTOR_NAME, folder)
    return Extractor(_load_nlp(), model)


def load_encoder_extractor(
    model_dir: Path | None = None,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    call_pieces: int = DEFAULT_CALL_PIECES,
    threads: int = 1,
) -> Extractor:
    """Load the spaCy pipeline and the encoder tagger (the ``accurate`` model).

    Args:
        model_dir: Folder holding ``attrib_encoder.onnx``; the shipped model when ``None``.
        batch_size: Most windows per network call.
        call_pieces: The fixed cost of a network call in padded word pieces, against which an
            article's windows are split into calls; -1 cuts runs of ``batch_size``.
        threads: onnxruntime threads; one per process is fastest on a shared machine.

    Raises:
        ExtractError: The spaCy pipeline, onnxruntime or the model files cannot be loaded.
    """
    folder = model_dir if model_dir is not None else default_model_dir()
    model = load_encoder(folder, batch_size=batch_size, call_pieces=call_pieces, threads=threads)
    log.debug("loaded %s from %s", ENCODER_NAME, folder)
    return Extractor(_load_nlp(), model)


def load_ensemble_extractor(
    model_dir: Path | None = None,
    *,
    crf_dir: Path | None = None,
    weight: float = 0.5,
    batch_size: int = DEFAULT_BATCH_SIZE,
    call_pieces: int = DEFAULT_CALL_PIECES,
    threads: int = 1,
    gate_p: float = DEFAULT_GATE_P,
) -> Extractor:
    """Load the spaCy pipeline, the CRF and the encoder, and mix their label distributions.

    Args:
        model_dir: Folder holding the encoder; the shipped model when ``None``.
        crf_dir: Folder holding the CRF; ``model_dir`` (then the shipped model) when ``None``.
        weight: The encoder's share of the mix, from 0 (CRF alone) to 1 (encoder alone).
        batch_size: Most encoder windows per network call.
        call_pieces: The fixed cost of a network call in padded word pieces (see
            ``load_encoder_extractor``).
        threads: onnxruntime threads.
        gate_p: The encoder reads only units with a quotation mark or a lemma of at least
            this cue-lexicon probability; 0 sends it every unit.

    Raises:
        ExtractError: The pipeline, onnxruntime or a model file cannot be loaded.
        ConfigError: ``weight`` or ``gate_p`` lies outside [0, 1].
    """
    if not 0.0 <= weight <= 1.0:
        raise ConfigError(
            f"[{ConfigError.code}] ensemble weight {weight} must lie between 0 and 1."
        )
    if not 0.0 <= gate_p <= 1.0:
        raise ConfigError(
            f"[{ConfigError.code}] ensemble gate_p {gate_p} must lie between 0 and 1."
        )
    folder = model_dir if model_dir is not None else default_model_dir()
    crf = load_model(crf_dir or folder, is_calibrated=False)
    encoder = load_encoder(folder, batch_size=batch_size, call_pieces=call_pieces, threads=threads)
    return Extractor(_load_nlp(), EnsembleModel(crf, encoder, weight, gate_p))


def _load_nlp() -> Language:
    try:
        return with_fast_rules(with_heading_breaks(spacy.load(NLP_MODEL)))
    except OSError as exc:
        raise ExtractError(
            f"[{ExtractError.code}] spaCy pipeline {NLP_MODEL!r} is not installed: {exc}. "
            "Install the project dependencies (`make install`)."
        ) from exc


EXTRACTORS: Registry[Extractor] = Registry("extractor")
EXTRACTORS.register(EXTRACTOR_NAME)(load_extractor)
EXTRACTORS.register(ENCODER_NAME)(load_encoder_extractor)
EXTRACTORS.register(ENSEMBLE_NAME)(load_ensemble_extractor)


def registry_name(name: str) -> str:
    """The registered extractor for a model name (``fast``, ``accurate``) or a registry name."""
    return MODELS.get(name, name)


def create_extractor(name: str = DEFAULT_MODEL, **settings: Any) -> Extractor:
    """Build the extractor for a model name or registry name, plugins included.

    Args:
        name: ``fast``, ``accurate`` or a registered versioned name (``attrib.crf.v1``).
        settings: Keyword settings of that extractor's factory (``batch_size=16``).

    Raises:
        ConfigError: nothing is registered under that name, or it takes no such setting.
    """
    name = registry_name(name)
    if name not in EXTRACTORS.names():
        load_plugins(EXTRACTORS)
    return EXTRACTORS.create(name, **settings)
