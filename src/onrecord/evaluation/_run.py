"""Run onrecord's own pipeline over a PolNeAR split and score it.

Input: a split folder. Output: ``PolnearReport``. Each raw text file goes through
``pipeline.extract_articles`` without cleaning, so the article text is the file as is and
predicted offsets index the annotated text. The extractor is loaded once, before the clock
starts; each prediction is the article's ``extract --format jsonl`` contract.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from onrecord.config import Settings
from onrecord.errors import IngestError
from onrecord.evaluation._names import (
    SpeakerSetScores,
    read_expected,
    read_gold_names,
    score_speaker_set,
)
from onrecord.evaluation._report import PolnearReport
from onrecord.evaluation.polnear import evaluate_polnear
from onrecord.export import article_to_contract, quote_to_contract
from onrecord.models import ExtractedArticle, RawDocument

if TYPE_CHECKING:
    from onrecord.extract import Extractor

log = logging.getLogger(__name__)

Predictor = Callable[[list[Path]], Iterator[tuple[str, list[dict[str, Any]]]]]


def _read_raw(path: Path) -> RawDocument:
    # newline="" keeps "\r\n" as written: the annotations count those characters.
    with path.open(encoding="utf-8", newline="") as handle:
        return RawDocument(source=str(path), content=handle.read(), media_type="text")


def make_predictor(extractor: Extractor, settings: Settings | None = None) -> Predictor:
    """Wrap the pipeline as a predictor for ``evaluate_polnear``.

    An article that fails is logged and predicts nothing.
    """
    from onrecord.pipeline import extract_articles

    def predict(paths: list[Path]) -> Iterator[tuple[str, list[dict[str, Any]]]]:
        raws = (_read_raw(path) for path in paths)
        for outcome in extract_articles(raws, extractor, settings or Settings(), is_cleaning=False):
            if isinstance(outcome, IngestError):
                log.warning("predicts nothing for %s", outcome)
                yield Path(outcome.item).name, []
                continue
            name = Path(outcome.article.source).name
            yield name, [quote_to_contract(quote) for quote in outcome.quotes]

    return predict


def run_polnear_eval(
    split_dir: Path,
    limit: int | None = None,
    *,
    extractor: Extractor | None = None,
    names_path: Path | None = None,
) -> PolnearReport:
    """Load onrecord's pipeline, run it over a PolNeAR split and score it.

    Args:
        split_dir: A folder with ``text/`` and ``attributions/``.
        limit: Only the first ``limit`` annotated articles, by name.
        extractor: An already loaded extractor (default: ``load_extractor()``).
        names_path: A gold speaker names file for the split (``eval/speakers/``); with it the
            report scores resolved names too.

    Returns:
        The report, with throughput (model loading excluded) and extractor names.

    Raises:
        ExtractError: The model cannot be loaded.
        ConfigError: ``split_dir`` holds no texts.
    """
    if extractor is None:
        from onrecord.extract import load_extractor

        extractor = load_extractor()
    names = read_gold_names(names_path) if names_path is not None else None
    return evaluate_polnear(split_dir, make_predictor(extractor), limit, names)


def run_speaker_eval(folder: Path, *, extractor: Extractor | None = None) -> SpeakerSetScores:
    """Run onrecord's pipeline over own articles and score statements and speakers.

    Args:
        folder: A folder with ``expected.jsonl`` and ``articles/`` (``eval/speakers``).
        extractor: An already loaded extractor (default: ``load_extractor()``).

    Returns:
        The scores, with the statements that went wrong.
    """
    from onrecord.ingest import read_inputs
    from onrecord.pipeline import extract_articles

    expected, negatives = read_expected(folder / "expected.jsonl")
    if extractor is None:
        from onrecord.extract import load_extractor

        extractor = load_extractor()
    texts: dict[str, str] = {}
    predictions: dict[str, list[dict[str, Any]]] = {}
    paths = sorted({folder / "articles" / item.article for item in expected})
    for outcome in extract_articles(read_inputs([str(p) for p in paths]), extractor, Settings()):
        if isinstance(outcome, ExtractedArticle):
            name = Path(outcome.article.source).name
            texts[name] = outcome.article.text
            predictions[name] = article_to_contract(outcome)["quotes"]
    return score_speaker_set(texts, predictions, expected, negatives)
