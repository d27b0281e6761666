"""Extract: Article text parsed by spaCy -> Attribution records (content, cue, source spans).

Load once, then parse and extract per article::

    extractor = load_extractor()
    for doc in extractor.nlp.pipe(texts):
        attributions = extractor.attributions(doc)

The cascade (quote pairing, CRF tagging, cue attachment, source linking) is described in
``onrecord.extract._extractor``. The parse needs ``tok2vec``, ``tagger``, ``parser``,
``attribute_ruler``, ``lemmatizer`` and ``ner``; the shipped model uses all of them.
"""

from __future__ import annotations

import logging
from importlib import resources
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from onrecord.errors import ExtractError
from onrecord.extract._extractor import (
    EXTRACTOR_NAME,
    AttributionModel,
    extract_attributions,
    load_model,
)
from onrecord.lang.en import RESOURCES as ENGLISH
from onrecord.models import Attribution
from onrecord.registry import Registry, load_plugins

__all__ = [
    "EXTRACTORS",
    "EXTRACTOR_NAME",
    "NLP_MODEL",
    "AttributionModel",
    "Extractor",
    "create_extractor",
    "default_model_dir",
    "extract_attributions",
    "load_extractor",
    "load_model",
]

log = logging.getLogger(__name__)

NLP_MODEL = ENGLISH.spacy_model


def default_model_dir() -> Path:
    """The folder of the trained model shipped with the package."""
    return Path(str(resources.files("onrecord") / "data" / "models"))


class Extractor:
    """A spaCy pipeline and the attribution model, loaded once and reused for every article."""

    def __init__(self, nlp: Language, model: AttributionModel) -> None:
        """Wrap a loaded pipeline and model; use ``load_extractor`` to build one."""
        self.nlp = nlp
        self.model = model
        self.name = EXTRACTOR_NAME

    def attributions(self, doc: Doc) -> list[Attribution]:
        """Attributions in ``doc`` (parsed by ``self.nlp``), in text order."""
        return extract_attributions(doc, self.model)


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
    try:
        nlp = spacy.load(NLP_MODEL)
    except OSError as exc:
        raise ExtractError(
            f"[{ExtractError.code}] spaCy pipeline {NLP_MODEL!r} is not installed: {exc}. "
            "Install the project dependencies (`make install`)."
        ) from exc
    log.debug("loaded %s from %s", EXTRACTOR_NAME, folder)
    return Extractor(nlp, model)


EXTRACTORS: Registry[Extractor] = Registry("extractor")
EXTRACTORS.register(EXTRACTOR_NAME)(load_extractor)


def create_extractor(name: str = EXTRACTOR_NAME) -> Extractor:
    """Build the extractor registered under ``name``, plugins included.

    Raises:
        ConfigError: nothing is registered under that name.
    """
    if name not in EXTRACTORS.names():
        load_plugins(EXTRACTORS)
    return EXTRACTORS.create(name)
