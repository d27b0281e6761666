"""onrecord's PolNeAR scores agree with the shared, independent scorer on perturbed gold."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from onrecord.evaluation import GoldArticle, read_split, score_predictions

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
SCORER = SHARED / "tools" / "polnear_score.py"
DEV = SHARED / "data" / "polnear" / "dev"
N_ARTICLES = 15
TOLERANCE = 1e-3

pytestmark = pytest.mark.skipif(
    not (SCORER.is_file() and (DEV / "text").is_dir()),
    reason="needs ../shared/tools/polnear_score.py and ../shared/data/polnear/dev",
)


def _speaker(rng: random.Random, article: GoldArticle, index: int) -> dict[str, Any] | None:
    """A speaker for gold attribution ``index``: right, wrong, offset-less or missing."""
    gold = article.attributions[index]
    choice = rng.random()
    if choice < 0.1:
        return None
    if gold.source and choice < 0.45:
        (start, _), (_, end) = gold.source[0], gold.source[-1]
        return {
            "name": None,
            "mention": article.text[start:end],
            "mention_start": start,
            "mention_end": end,
        }
    if gold.source and choice < 0.6:
        # Name only: judged by shared tokens, or by the located mention.
        return {"name": gold.source_text, "mention": None}
    if gold.source and choice < 0.7:
        # One word of the source, with offsets elsewhere, so that only the token rule can
        # accept it: correct for "Clinton", not for "officials" or "campaign".
        word = rng.choice(gold.source_text.split() or ["x"])
        return {"name": word, "mention": None, "mention_start": 0, "mention_end": 1}
    if choice < 0.75:
        return {"name": None, "mention": "he"}
    # Somebody else's source, with its offsets.
    others = [g for g in article.attributions if g.source and g.source != gold.source]
    if not others:
        return {"name": "Nobody Atall", "mention": None}
    other = rng.choice(others)
    start, end = other.source[0][0], other.source[-1][1]
    return {
        "name": other.source_text,
        "mention": article.text[start:end],
        "mention_start": start,
        "mention_end": end,
    }


def _spans(rng: random.Random, article: GoldArticle, index: int) -> list[tuple[int, int]]:
    """Predicted content spans for one gold attribution (none when it is dropped)."""
    gold = article.attributions[index]
    start, end = gold.content[0][0], gold.content[-1][1]
    length = end - start
    choice = rng.random()
    if choice < 0.15:
        return []
    if choice < 0.35:
        return [(start, end)]
    if choice < 0.5:
        shift = rng.randint(-max(1, length // 3), max(1, length // 3))
        return [(max(0, start + shift), min(len(article.text), end + shift))]
    if choice < 0.6:
        return [(start, end - rng.randint(1, max(1, length // 2)))]
    if choice < 0.7:
        return [
            (max(0, start - rng.randint(1, 6)), min(len(article.text), end + rng.randint(1, 6)))
        ]
    if choice < 0.8 and len(gold.content) > 1:
        return [gold.content[0], gold.content[-1]]
    if choice < 0.9:
        mid = start + length // 2
        return [(start, mid), (mid, end)]
    return [(start + length // 4, start + length // 4 + max(1, length // 5))]


def _perturbed(article: GoldArticle, seed: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not security
    quotes: list[dict[str, Any]] = []
    for index, gold in enumerate(article.attributions):
        speaker = _speaker(rng, article, index)
        for start, end in _spans(rng, article, index):
            if end <= start:
                continue
            quote: dict[str, Any] = {
                "text": article.text[start:end],
                "start": start,
                "end": end,
                "kind": rng.choice(["direct", "indirect", "mixed"]),
                "cue": (article.text[gold.cue[0][0] : gold.cue[-1][1]] if gold.cue else None),
                "speaker": speaker,
            }
            if rng.random() < 0.1:
                del quote["start"], quote["end"]  # located by its text
            quotes.append(quote)
    for _ in range(rng.randint(0, 4)):  # spurious
        start = rng.randrange(0, max(1, len(article.text) - 80))
        end = start + rng.randint(10, 80)
        quotes.append(
            {
                "text": article.text[start:end],
                "start": start,
                "end": end,
                "kind": "indirect",
                "cue": "said",
                "speaker": {"name": "said"},
            }
        )
    rng.shuffle(quotes)
    return quotes


@pytest.fixture(scope="module")
def predictions(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    articles = read_split(DEV, limit=N_ARTICLES)
    assert len(articles) == N_ARTICLES
    by_file = {a.file_name: _perturbed(a, seed) for seed, a in enumerate(articles)}
    path = tmp_path_factory.mktemp("polnear") / "pred.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for name, quotes in by_file.items():
            handle.write(json.dumps({"file": name, "quotes": quotes}) + "\n")
    return path, by_file


@pytest.fixture(scope="module")
def shared_scores(predictions: tuple[Path, dict[str, Any]]) -> dict[str, Any]:
    pred_path, _ = predictions
    out = pred_path.with_name("shared.json")
    subprocess.run(  # noqa: S603 - a fixed local script with arguments built here
        [
            sys.executable,
            str(SCORER),
            "--pred",
            str(pred_path),
            "--data",
            str(DEV),
            "--limit",
            str(N_ARTICLES),
            "--json-out",
            str(out),
        ],
        check=True,
        capture_output=True,
        cwd=REPO,
        timeout=120,
    )
    result: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return result


@pytest.mark.parametrize("threshold", ["loose", "strict", "exact"])
@pytest.mark.parametrize(("metric", "ours_key"), [("quote", "quote"), ("quote+speaker", "qs")])
def test_prf_agrees_with_shared_scorer(
    predictions: tuple[Path, dict[str, Any]],
    shared_scores: dict[str, Any],
    threshold: str,
    metric: str,
    ours_key: str,
) -> None:
    _, by_file = predictions
    report = score_predictions(DEV, by_file, limit=N_ARTICLES)
    ours = report.thresholds[threshold]
    prf = ours.quote if ours_key == "quote" else ours.quote_speaker
    theirs = shared_scores["scores"][threshold][metric]
    assert prf.precision == pytest.approx(theirs["P"], abs=TOLERANCE)
    assert prf.recall == pytest.approx(theirs["R"], abs=TOLERANCE)
    assert prf.f1 == pytest.approx(theirs["F1"], abs=TOLERANCE)
    assert prf.tp == theirs["tp"]


def test_counts_and_direct_recall_agree(
    predictions: tuple[Path, dict[str, Any]], shared_scores: dict[str, Any]
) -> None:
    _, by_file = predictions
    report = score_predictions(DEV, by_file, limit=N_ARTICLES)
    counts = shared_scores["counts"]
    assert (report.n_articles, report.n_gold, report.n_pred) == (
        counts["articles"],
        counts["gold"],
        counts["pred"],
    )
    assert report.n_gold_direct == counts["gold_direct"]
    assert report.n_gold_without_source == counts["gold_without_source"]
    for label in ("loose", "strict", "exact"):
        theirs = shared_scores["scores"][label]
        ours = report.thresholds[label]
        assert ours.quote.tp > 0
        assert ours.direct_recall * ours.n_gold_direct == pytest.approx(
            theirs["direct_recall"] * counts["gold_direct"], abs=0.5
        )
        assert ours.matched_without_source == theirs["matched_gold_without_source"]
        for kind, precision in theirs["precision_by_pred_kind"].items():
            assert ours.by_kind[kind].precision == pytest.approx(precision, abs=TOLERANCE)
