"""onrecord: who said what, when, where it was first reported and through whom.

The library API: load an extractor once, run articles through the pipeline, keep the
results in a store::

    from onrecord import Settings, Store, extract_paths, load_extractor, store_outcomes

    extractor = load_extractor()  # the fast model; create_extractor("accurate") for the encoder
    with Store.open("onrecord.db") as store:
        store_outcomes(extract_paths(["articles/"], extractor, Settings()), store, 64)
        hits = store.search("guarantees", speaker="Kroll")
"""

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
