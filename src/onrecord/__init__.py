"""onrecord: who said what, when, where it was first reported and through whom.

The library API: load an extractor once, run articles through the pipeline, keep the
results in a store::

    from onrecord import Settings, Store, extract_paths, load_extractor, store_outcomes

    extractor = load_extractor()  # the fast model; create_extractor("accurate") for the encoder
    with Store.open("onrecord.db") as store:
        store_outcomes(extract_paths(["articles/"], extractor, Settings()), store, 64)
        hits = store.search("guarantees", speaker="Kroll")
"""

from __future__ import annotations

import importlib as _importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from onrecord.config import Settings, load_settings
    from onrecord.errors import OnrecordError
    from onrecord.extract import Extractor, create_extractor, load_extractor
    from onrecord.models import (
        Article,
        Attribution,
        ExtractedArticle,
        Quote,
        RawDocument,
        Speaker,
    )
    from onrecord.pipeline import (
        RunSummary,
        extract_articles,
        extract_paths,
        extract_text,
        store_outcomes,
    )
    from onrecord.store import QuoteHit, SpeakerRecord, SpeakerSummary, Store

# Each public name and the module that defines it. They load on first use, so that a command
# that only reads the store does not pay for the NLP stack's import.
_HOMES = {
    "Settings": "onrecord.config",
    "load_settings": "onrecord.config",
    "OnrecordError": "onrecord.errors",
    "Extractor": "onrecord.extract",
    "create_extractor": "onrecord.extract",
    "load_extractor": "onrecord.extract",
    "Article": "onrecord.models",
    "Attribution": "onrecord.models",
    "ExtractedArticle": "onrecord.models",
    "Quote": "onrecord.models",
    "RawDocument": "onrecord.models",
    "Speaker": "onrecord.models",
    "RunSummary": "onrecord.pipeline",
    "extract_articles": "onrecord.pipeline",
    "extract_paths": "onrecord.pipeline",
    "extract_text": "onrecord.pipeline",
    "store_outcomes": "onrecord.pipeline",
    "QuoteHit": "onrecord.store",
    "SpeakerRecord": "onrecord.store",
    "SpeakerSummary": "onrecord.store",
    "Store": "onrecord.store",
}


def __getattr__(name: str) -> object:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'onrecord' has no attribute {name!r}")
    value = getattr(_importlib.import_module(home), name)
    globals()[name] = value
    return value


__version__ = "0.1.0"

__all__ = [
    "Article",
    "Attribution",
    "ExtractedArticle",
    "Extractor",
    "OnrecordError",
    "Quote",
    "QuoteHit",
    "RawDocument",
    "RunSummary",
    "Settings",
    "Speaker",
    "SpeakerRecord",
    "SpeakerSummary",
    "Store",
    "__version__",
    "create_extractor",
    "extract_articles",
    "extract_paths",
    "extract_text",
    "load_extractor",
    "load_settings",
    "store_outcomes",
]
