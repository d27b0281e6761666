"""Reading brat splits and scoring predictions, on a small invented split."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import spacy
from spacy.tokens import Doc

from onrecord.errors import ConfigError
from onrecord.evaluation import (
    GoldAttribution,
    evaluate_polnear,
    gold_digest,
    match_quotes,
    read_split,
    run_polnear_eval,
    score_predictions,
)
from onrecord.models import Attribution, Span

# Invented articles. "alpha" has a quote split around "she said", an indirect
# attribution and one without a source.
ALPHA = (
    "Mayor Ada Vell spoke on Monday.\n"
    "“We will build the bridge,” she said, “and the road.”\n"
    "Critics said the plan was too expensive.\n"
    "It is expected to pass.\n"
)
# The first line of an uncleaned text is its title, and a title holds no statement.
BETA = 'Brandt on the vote\r\nOlu Brandt told reporters: "Nothing is decided."\r\nHe left.\n'


def _at(text: str, piece: str, after: int = 0) -> tuple[int, int]:
    start = text.index(piece, after)
    return start, start + len(piece)


def _t(tid: str, label: str, text: str, *spans: tuple[int, int]) -> str:
    offsets = ";".join(f"{s} {e}" for s, e in spans)
    return f"{tid}\t{label} {offsets}\t{' '.join(text[s:e] for s, e in spans)}"


def _alpha_ann() -> str:
    t = ALPHA
    first = _at(t, "“We will build the bridge,”")
    second = _at(t, "“and the road.”")
    return "\n".join(
        [
            _t("T1", "Source", t, _at(t, "she")),
            _t("T2", "Cue", t, _at(t, "said", first[1])),
            _t("T3", "Content", t, first),
            _t("T4", "Content", t, second),
            _t("T5", "Attribution", t, _at(t, "said", first[1])),
            "E1\tAttribution:T5 Content:T3 Content2:T4 Cue:T2 Source:T1",
            _t("T6", "Source", t, _at(t, "Critics")),
            _t("T7", "Cue", t, _at(t, "said", _at(t, "Critics")[1])),
            _t("T8", "Content", t, _at(t, "the plan was too expensive.")),
            "E2\tAttribution:T7 Content:T8 Cue:T7 Source:T6",
            _t("T9", "Cue", t, _at(t, "expected")),
            _t("T10", "Content", t, _at(t, "to pass")),
            "E3\tAttribution-no-source:T9 Content:T10 Cue:T9",
            "E4\tAttribution:T9 Cue:T9",
            "#1\tAnnotatorNotes T3\ta note",
            "",
        ]
    )


def _beta_ann() -> str:
    t = BETA
    return "\n".join(
        [
            _t("T1", "Source", t, _at(t, "Olu Brandt")),
            _t("T2", "Cue", t, _at(t, "told")),
            _t("T3", "Content", t, _at(t, '"Nothing is decided."')),
            "E1\tAttribution:T2 Content:T3 Cue:T2 Source:T1",
            "",
        ]
    )


def _write(path: Path, content: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(content)


@pytest.fixture
def split(tmp_path: Path) -> Path:
    _write(tmp_path / "text" / "alpha.txt", ALPHA)
    _write(tmp_path / "attributions" / "alpha_aaaa.ann", _alpha_ann())
    # A second annotator of the same article: never read, because "aaaa" sorts first.
    _write(tmp_path / "attributions" / "alpha_zzzz.ann", "")
    _write(tmp_path / "text" / "beta.txt", BETA)
    _write(tmp_path / "attributions" / "beta_bbbb.ann", _beta_ann())
    _write(tmp_path / "text" / "gamma.txt", "No annotation for this one.\n")
    return tmp_path


def _quote(text: str, piece: str, **extra: Any) -> dict[str, Any]:
    start, end = _at(text, piece)
    return {"text": piece, "start": start, "end": end, "kind": "direct", **extra}


def _speaker(text: str, mention: str) -> dict[str, Any]:
    start, end = _at(text, mention)
    return {"name": None, "mention": mention, "mention_start": start, "mention_end": end}


def test_read_split_reads_first_annotator_and_skips_unannotated(split: Path) -> None:
    articles = read_split(split)
    assert [(a.name, a.annotator) for a in articles] == [("alpha", "aaaa"), ("beta", "bbbb")]
    alpha = articles[0]
    assert [g.id for g in alpha.attributions] == ["E1", "E2", "E3"]  # E4 has no content
    split_quote = alpha.attributions[0]
    assert len(split_quote.content) == 2
    assert [ALPHA[s:e] for s, e in split_quote.content_trimmed] == [
        "We will build the bridge,”",
        "“and the road",
    ]
    assert split_quote.is_direct
    assert split_quote.kind == "direct"
    assert alpha.attributions[1].kind == "indirect"
    assert split_quote.has_source
    assert split_quote.source_text == "she"
    assert not alpha.attributions[1].is_direct
    assert not alpha.attributions[2].has_source


def test_read_split_keeps_crlf_offsets(split: Path) -> None:
    beta = read_split(split)[1]
    (start, end), *_ = beta.attributions[0].content
    assert beta.text[start:end] == '"Nothing is decided."'


def test_read_split_limit_and_empty_folder(split: Path, tmp_path: Path) -> None:
    assert [a.name for a in read_split(split, limit=1)] == ["alpha"]
    with pytest.raises(ConfigError, match="no texts under"):
        read_split(tmp_path / "nowhere")


def test_perfect_predictions_score_one(split: Path) -> None:
    predictions = {
        "alpha.txt": [
            _quote(
                ALPHA,
                "“We will build the bridge,” she said, “and the road.”",
                cue="said",
                speaker=_speaker(ALPHA, "she"),
            ),
            _quote(
                ALPHA,
                "the plan was too expensive",
                kind="indirect",
                cue="said",
                speaker={"name": "critics"},
            ),
            _quote(ALPHA, "to pass", kind="indirect", cue="expected"),
        ],
        "beta.txt": [_quote(BETA, "Nothing is decided.", cue="told", speaker={"name": "Brandt"})],
    }
    report = score_predictions(split, predictions)
    for label in ("loose", "strict", "exact"):
        scores = report.thresholds[label]
        assert (scores.quote.precision, scores.quote.recall) == (1.0, 1.0)
        assert scores.cue.f1 == 1.0
        # The source-less gold attribution can never be speaker-correct.
        assert scores.quote_speaker.tp == 3
        assert scores.speaker_accuracy == pytest.approx(3 / 4)
        assert scores.direct_recall == 1.0
    assert (report.n_gold, report.n_gold_direct, report.n_gold_without_source) == (4, 2, 1)


def test_partial_predictions_split_by_threshold(split: Path) -> None:
    predictions = {
        # 24 of the 39 trimmed gold characters: loose, not strict.
        "alpha": [_quote(ALPHA, "We will build the bridge", speaker={"name": "Ada Vell"})],
        "/somewhere/beta.txt": [
            _quote(BETA, "Nothing is", speaker={"mention": "He"}),
            _quote(BETA, "He left", kind="indirect"),
        ],
    }
    report = score_predictions(split, predictions)
    loose, strict, exact = (report.thresholds[k] for k in ("loose", "strict", "exact"))
    assert (loose.quote.tp, strict.quote.tp, exact.quote.tp) == (2, 0, 0)
    assert loose.quote.precision == pytest.approx(2 / 3)
    assert loose.quote.recall == pytest.approx(2 / 4)
    # "Ada Vell" shares no token with the gold source "she"; "He" is located after the quote.
    assert loose.quote_speaker.tp == 0
    assert loose.by_kind["direct"].precision == 1.0
    assert loose.by_kind["indirect"].precision == 0.0
    assert report.n_articles_without_output == 0


def test_one_gold_takes_one_prediction_and_spurious_ones_count(split: Path) -> None:
    predictions = {
        "alpha.txt": [
            _quote(ALPHA, "“We will build the bridge,”"),
            _quote(ALPHA, "“and the road.”"),
            _quote(ALPHA, "Mayor Ada Vell spoke"),
        ]
    }
    report = score_predictions(split, predictions)
    loose = report.thresholds["loose"]
    assert (loose.quote.tp, loose.quote.n_pred, loose.quote.n_gold) == (1, 3, 4)
    assert report.n_articles_without_output == 1


def test_quotes_without_offsets_are_located_by_text(split: Path) -> None:
    predictions: dict[str, list[dict[str, Any]]] = {
        "beta.txt": [{"text": "“Nothing is decided.”", "speaker": "Olu Brandt", "cue": "told"}],
        "unknown.txt": [{"text": "x", "start": 0, "end": 1}],
    }
    report = score_predictions(split, predictions)
    exact = report.thresholds["exact"]
    assert (exact.quote.tp, exact.quote_speaker.tp, exact.cue.tp) == (1, 1, 1)
    assert report.diagnostics["quote_offsets_from_text"] == 1
    assert report.diagnostics["unknown_file"] == 1


def test_cue_offsets_take_precedence_over_cue_text(split: Path) -> None:
    told = _at(BETA, "told")
    wrong: dict[str, Any] = {"cue": "told", "cue_start": 0, "cue_end": 3}
    right: dict[str, Any] = {"cue": "nonsense", "cue_start": told[0], "cue_end": told[1]}
    for extra, expected in ((wrong, 0), (right, 1)):
        report = score_predictions(
            split, {"beta.txt": [_quote(BETA, "Nothing is decided", **extra)]}
        )
        assert report.thresholds["loose"].cue.tp == expected


def test_report_renders_json_and_markdown(split: Path) -> None:
    predictions = {"beta.txt": [_quote(BETA, "Nothing is decided.", extractor="quotes.test.v1")]}
    report = score_predictions(split, predictions)
    data = json.loads(json.dumps(report.to_dict()))
    assert data["scores"]["loose"]["quote"]["tp"] == 1
    assert data["counts"]["pred_by_kind"] == {"direct": 1}
    assert data["extractors"] == ["quotes.test.v1"]
    markdown = report.to_markdown()
    rows = [line for line in markdown.splitlines() if line.startswith("| loose")]
    assert rows == [
        "| loose | 1.000 | 0.250 | 0.400 | 0.000 | 0.000 | 0.000 | 0.500 | 0.000 | 0.000 |"
    ]
    assert "| direct | 1 |" in markdown


def test_evaluate_polnear_times_the_predictor(split: Path) -> None:
    seen: list[list[str]] = []

    def predict(paths: list[Path]) -> Iterator[tuple[str, list[dict[str, Any]]]]:
        seen.append([p.name for p in paths])
        for path in paths:
            yield path.name, [_quote(BETA, "Nothing is decided.")] if path.stem == "beta" else []

    report = evaluate_polnear(split, predict, limit=2)
    assert seen == [["alpha.txt", "beta.txt"]]
    assert report.throughput is not None
    assert report.throughput.n_articles == 2
    assert report.throughput.n_words == len(ALPHA.split()) + len(BETA.split())
    assert report.throughput.articles_per_s > 0
    assert report.thresholds["strict"].quote.tp == 1


class _FakeExtractor:
    """Finds the straight-quoted sentence in BETA, with its cue and source, on a bare parse."""

    def __init__(self) -> None:
        self.nlp = spacy.blank("en")

    def attributions(self, doc: Doc) -> list[Attribution]:
        if '"' not in doc.text:
            return []
        return [
            Attribution(
                content=Span(*_at(doc.text, '"Nothing is decided."')),
                kind="direct",
                cue=Span(*_at(doc.text, "told")),
                source=Span(*_at(doc.text, "Olu Brandt")),
                confidence=0.9,
                extractor="quotes.fake.v1",
            )
        ]


def test_run_polnear_eval_runs_the_pipeline_uncleaned(split: Path) -> None:
    extractor: Any = _FakeExtractor()
    report = run_polnear_eval(split, extractor=extractor)
    exact = report.thresholds["exact"]
    assert (exact.quote.tp, exact.quote_speaker.tp, exact.cue.tp) == (1, 1, 1)
    assert report.extractors == ("quotes.fake.v1",)
    assert report.throughput is not None


def test_gold_digest_tracks_annotation_files(split: Path) -> None:
    before = gold_digest(split)
    assert before == gold_digest(split)
    _write(split / "attributions" / "beta_bbbb.ann", _beta_ann().replace("told", "tells"))
    assert gold_digest(split) != before


def test_recall_is_reported_per_gold_kind(split: Path) -> None:
    predictions = {"alpha.txt": [_quote(ALPHA, "the plan was too expensive")]}
    loose = score_predictions(split, predictions).thresholds["loose"]
    assert loose.gold_by_kind["indirect"] == (2, 1)
    assert loose.recall_by_gold_kind()["direct"] == 0.0
    assert loose.recall_by_gold_kind()["indirect"] == 0.5


def test_match_quotes_pairs_each_prediction_like_the_scorer(split: Path) -> None:
    alpha = read_split(split)[0]
    quotes = [
        _quote(ALPHA, "“We will build the bridge,”"),
        _quote(ALPHA, "“and the road.”"),
        _quote(ALPHA, "Mayor Ada Vell spoke"),
        {"text": "the plan was too expensive"},
    ]
    assert match_quotes(alpha, quotes) == [0, None, None, 1]
    assert match_quotes(alpha, quotes, "exact") == [None, None, None, 1]
    with pytest.raises(ConfigError, match="unknown threshold"):
        match_quotes(alpha, quotes, "lenient")


def test_confidences_give_a_calibration_section(split: Path) -> None:
    predictions = {
        "alpha.txt": [
            _quote(ALPHA, "“We will build the bridge,”", confidence=0.95),
            _quote(ALPHA, "Mayor Ada Vell spoke", confidence=0.35),
            _quote(ALPHA, "the plan was too expensive", confidence=0.6),
        ],
        "beta.txt": [_quote(BETA, "Nothing is decided.", confidence=1.0)],
    }
    report = score_predictions(split, predictions)
    calibration = report.calibration
    assert calibration is not None
    filled = {round(b.lower, 1): (b.n, b.accuracy) for b in calibration.bins if b.n}
    assert filled == {0.3: (1, 0.0), 0.6: (1, 1.0), 0.9: (2, 1.0)}
    # |0 - .35| + |1 - .6| + 2 * |1 - .975|, over 4 predictions.
    assert calibration.ece == pytest.approx((0.35 + 0.4 + 0.05) / 4)
    at = calibration.at_threshold
    assert (at[0.3].tp, at[0.3].n_pred) == (3, 4)
    assert (at[0.5].tp, at[0.5].n_pred) == (3, 3)
    assert (at[0.7].tp, at[0.7].n_pred, at[0.7].n_gold) == (2, 2, 4)
    data = json.loads(json.dumps(report.to_dict()))
    assert data["calibration"]["loose_at_min_confidence"]["0.9"]["pred"] == 2
    markdown = report.to_markdown()
    assert "calibration (loose match): ECE 0.200" in markdown
    assert "| 0.9-1.0 | 2 | 0.975 | 1.000 |" in markdown
    assert "| 0.5 | 3 | 1.000 | 0.750 | 0.857 |" in markdown


def test_predictions_without_confidence_have_no_calibration_section(split: Path) -> None:
    report = score_predictions(split, {"beta.txt": [_quote(BETA, "Nothing is decided.")]})
    assert report.calibration is None
    assert report.to_dict()["calibration"] is None
    assert "calibration" not in report.to_markdown()


def test_speaker_accuracy_is_reported_per_gold_source_kind(split: Path) -> None:
    predictions = {
        "alpha.txt": [
            _quote(ALPHA, "“We will build the bridge,” she said", speaker=_speaker(ALPHA, "she")),
            _quote(ALPHA, "the plan was too expensive", speaker={"name": "Olu Brandt"}),
            _quote(ALPHA, "to pass", kind="indirect"),
        ],
        "beta.txt": [_quote(BETA, "Nothing is decided.", speaker={"name": "Brandt"})],
    }
    report = score_predictions(split, predictions)
    loose = report.thresholds["loose"]
    # she: pronoun, right; Critics: one capitalised word, named, wrong; no Source; Olu Brandt.
    assert loose.speaker_by_source == {
        "pronoun": (1, 1),
        "named": (2, 1),
        "none": (1, 0),
    }
    assert loose.speaker_accuracy_by_source()["named"] == 0.5
    assert "| pronoun | 1 | 1.000 |" in report.to_markdown()
    assert report.to_dict()["scores"]["loose"]["speaker_accuracy_by_gold_source"]["none"] == 0.0


@pytest.mark.parametrize(
    ("source", "kind"),
    [
        ("he", "pronoun"),
        ("They", "pronoun"),
        ("Senator Ann Lee", "named"),
        ("Lee", "named"),
        ("the official", "nominal"),
        ("aides to the governor", "nominal"),
        ("", "none"),
    ],
)
def test_gold_source_kind(source: str, kind: str) -> None:
    gold = GoldAttribution(
        id="E1",
        content=((0, 4),),
        cue=(),
        source=((10, 10 + len(source)),) if source else (),
        content_trimmed=((0, 4),),
        content_text="text",
        source_text=source,
    )
    assert gold.source_kind == kind
