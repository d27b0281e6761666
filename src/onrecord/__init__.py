"""onrecord: who said what, when, where it was first reported and through whom."""

from onrecord.models import (
    Article,
    Attribution,
    ExtractedArticle,
    Quote,
    RawDocument,
    Speaker,
)

__version__ = "0.1.0"

__all__ = [
    "Article",
    "Attribution",
    "ExtractedArticle",
    "Quote",
    "RawDocument",
    "Speaker",
    "__version__",
]
