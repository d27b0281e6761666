"""Stories: the same statement across articles, near-duplicate articles, and where news started.

Pure functions over texts and records; the after-batch step of ``onrecord.derive`` clusters
stored quotes and articles with them, into tables the store keeps.

    quote text    -> normalise_quote, quote_tokens, word_shingles   (exact and fuzzy matching)
    article text  -> article_signature -> band_keys                 (MinHash + LSH banding)
    occurrences   -> trace_origin -> Origin                         (first outlet and relays)
"""

from onrecord.stories._origin import chronological_key, outlet_key, trace_origin
from onrecord.stories._records import (
    Occurrence,
    Origin,
    OriginStep,
    Quotation,
    QuotationSummary,
    RelayEdge,
    Story,
    StoryArticle,
    StoryRelation,
    StorySummary,
    Variant,
)
from onrecord.stories._similarity import (
    CONTAINMENT_THRESHOLD,
    MIN_FUZZY_TOKENS,
    MIN_SPEAKERLESS_TOKENS,
    QUOTE_SHINGLE,
    article_signature,
    band_keys,
    containment,
    is_fuzzy_match,
    signature_similarity,
)
from onrecord.stories._text import (
    SHINGLE_SEPARATOR,
    normalise_quote,
    quote_tokens,
    scoped_keys,
    text_key,
    word_shingles,
)

__all__ = [
    "CONTAINMENT_THRESHOLD",
    "MIN_FUZZY_TOKENS",
    "MIN_SPEAKERLESS_TOKENS",
    "QUOTE_SHINGLE",
    "SHINGLE_SEPARATOR",
    "Occurrence",
    "Origin",
    "OriginStep",
    "Quotation",
    "QuotationSummary",
    "RelayEdge",
    "Story",
    "StoryArticle",
    "StoryRelation",
    "StorySummary",
    "Variant",
    "article_signature",
    "band_keys",
    "chronological_key",
    "containment",
    "is_fuzzy_match",
    "normalise_quote",
    "outlet_key",
    "quote_tokens",
    "scoped_keys",
    "signature_similarity",
    "text_key",
    "trace_origin",
    "word_shingles",
]
