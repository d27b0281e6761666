"""The learned line judgement for scraped pages: training, the shipped model, its use."""

from __future__ import annotations

from pathlib import Path

import pytest

from onrecord.clean import clean_document
from onrecord.clean._junk import analyse
from onrecord.clean._lines import (
    FEATURE_NAMES,
    LineModel,
    LineSettings,
    judge_lines,
    line_features,
    load_line_model,
    looks_scraped,
)
from onrecord.clean.train_lines import (
    label_lines,
    load_pages,
    scraped_lines,
    train,
    visible_text,
)
from onrecord.errors import ExtractError
from onrecord.models import RawDocument

PAGES = Path(__file__).resolve().parent.parent / "fixtures" / "pages"


def test_visible_text_keeps_menus_and_drops_scripts() -> None:
    html = (
        "<html><head><title>T</title><style>p{}</style></head><body><nav><a>Home</a> "
        "<a>World</a></nav><script>var x = 1;</script><p>First <b>bold</b> line.</p>"
        "<div hidden>secret</div><p style='display: none'>gone</p><ul><li>One</li>"
        "<li>Two</li></ul></body></html>"
    )
    assert visible_text(html).split("\n") == ["Home World", "First bold line.", "One", "Two"]


def test_labels_follow_the_reference_body() -> None:
    lines = ["Home", "A storm closed the coastal road on Sunday night.", "Most read"]
    body = "Storm closes road\nA storm closed the coastal road on Sunday night."
    assert label_lines(lines, body) == [False, True, False]


def test_training_is_deterministic() -> None:
    pages = load_pages(PAGES)
    first, second = train(pages), train(pages)
    assert first.to_json() == second.to_json()
    assert first.names == FEATURE_NAMES
    # The pages teach something: the body lines of a page score above its menu lines.
    page = pages[0]
    lines = scraped_lines(visible_text(page.html))
    scores = dict(zip(lines, first.probabilities(lines), strict=True))
    body_line = next(line for line in lines if line.startswith("Engineers fitted"))
    assert scores[body_line] > scores["Privacy policy"]


def test_shipped_model_matches_the_features() -> None:
    model = load_line_model()
    assert model.names == FEATURE_NAMES
    assert len(model.weights) == len(FEATURE_NAMES) == line_features(["a line."]).shape[1]


def test_a_broken_model_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "lines.json"
    path.write_text('{"names": ["other"], "mean": [0], "scale": [1], "weights": [1], "bias": 0}')
    with pytest.raises(ExtractError, match="other features"):
        load_line_model(path)


def test_an_article_is_not_judged_as_a_page() -> None:
    lines = [
        "Council approves budget",
        "The council approved next year's budget on Tuesday by nine votes to four.",
        "The mayor said the plan protects libraries.",
    ]
    assert not looks_scraped(lines, LineSettings())
    verdicts = judge_lines(lines, load_line_model(), LineSettings())
    assert [verdict.is_kept for verdict in verdicts] == [True, True, True]


def test_scraped_page_keeps_title_and_body_and_drops_the_rest() -> None:
    page = load_pages(PAGES)[1]
    text = visible_text(page.html)
    article = clean_document(RawDocument("orchard.txt", text, "text"))
    assert article.title == "Orchard growers count the cost of late frost"
    assert "Apple growers in the valley lost" in article.text
    assert "said Tomas Berg" in article.text
    for junk in ("Privacy policy", "Storm closes coastal road", "Weather"):
        assert junk not in article.text.split("\n")
    assert any(item.reason == "boilerplate" for item in article.removed)


MENU = ["Home", "News", "Sport", "Weather", "About us", "Contact"]
FERRY = [
    "The island ferry will sail again on Monday after a two-week halt, the operator said.",
    "Engineers fitted a replacement shaft and finished sea trials on Thursday evening.",
    "Islanders had relied on a small water taxi that carries twelve passengers at most.",
    "The operator said it would add two extra sailings to clear the backlog of freight.",
]
GALLERY = ["Photos", "Gallery", "Next", "Previous", "Share", "Print", "Related", "Most read"]
FOOTER = ["Privacy policy", "Terms of use", "Careers", "© 2026 Harbour Gazette"]


def test_comment_section_ends_the_body() -> None:
    comments = [
        "Leave a Reply",
        "It is about time the operator bought a second vessel for the winter months.",
        "The water taxi crew did a great job during the whole fortnight, thank you all.",
        "I hope the extra sailings are announced on the website before the weekend.",
    ]
    lines = [*MENU, "Ferry service to resume", *FERRY, *comments, *FOOTER]
    kept = kept_lines(lines, load_line_model(), LineSettings())
    assert "Ferry service to resume" in kept
    assert all(line in kept for line in FERRY)
    assert not any(line in kept for line in comments + FOOTER)


def sentence_model(weight: float) -> LineModel:
    """A line model that reads one feature: a line ending like a sentence is body.

    With ``weight`` 4, a sentence line is 0.88 probable and any other line 0.12: the body
    stretch is the run of sentences, and no line reaches the default ``sure_threshold``.
    """
    weights = [weight if name == "ends_sentence" else 0.0 for name in FEATURE_NAMES]
    zeros, ones = (0.0,) * len(FEATURE_NAMES), (1.0,) * len(FEATURE_NAMES)
    return LineModel(FEATURE_NAMES, zeros, ones, tuple(weights), -weight / 2)


def kept_lines(lines: list[str], model: LineModel, settings: LineSettings) -> list[str]:
    verdicts = judge_lines(lines, model, settings)
    return [line for line, verdict in zip(lines, verdicts, strict=True) if verdict.is_kept]


def test_a_line_the_model_is_sure_of_is_body_outside_the_run() -> None:
    # The timetable paragraph sits apart from the article, behind a gallery's controls.
    apart = "The winter timetable keeps three sailings a day on weekdays, the operator added."
    lines = [*MENU, "Ferry service to resume", *FERRY, *GALLERY, apart, *FOOTER]
    model = sentence_model(4.0)
    assert apart not in kept_lines(lines, model, LineSettings())
    kept = kept_lines(lines, model, LineSettings(sure_threshold=0.85))
    assert kept == ["Ferry service to resume", *FERRY, apart]


def test_past_a_comment_section_only_sure_lines_stay() -> None:
    comment = "It is about time the operator bought a second vessel for the winter months."
    lines = [*MENU, "Ferry service to resume", *FERRY, "Reply", comment, *FOOTER]
    model = sentence_model(4.0)
    verdicts = judge_lines(lines, model, LineSettings())
    after = verdicts[lines.index("Reply") :]
    assert not any(verdict.is_kept for verdict in after)
    assert all(verdict.is_sure for verdict in after)
    # A bare "Reply" may be a subhead inside the article ("Ana says:" a quote): it cuts the
    # stretch, but what the model is sure of stays.
    assert comment in kept_lines(lines, model, LineSettings(sure_threshold=0.85))


@pytest.mark.parametrize(
    "heading", ["Leave a Reply", "12 Comments", "Comments (12)", "12 réactions", "Kommentare (3)"]
)
def test_a_heading_that_counts_or_invites_comments_drops_even_sure_lines(heading: str) -> None:
    comment = "It is about time the operator bought a second vessel for the winter months."
    lines = [*MENU, "Ferry service to resume", *FERRY, heading, comment, *FOOTER]
    kept = kept_lines(lines, sentence_model(4.0), LineSettings(sure_threshold=0.85))
    assert kept == ["Ferry service to resume", *FERRY]


def test_comment_counts_that_start_no_section() -> None:
    model, settings = sentence_model(4.0), LineSettings(sure_threshold=0.85)
    # Under the article's first sentence: a link to the comments below, not their start.
    lines = [*MENU, "Ferry service to resume", FERRY[0], "12 Comments", *FERRY[1:], *FOOTER]
    assert kept_lines(lines, model, settings) == ["Ferry service to resume", *FERRY]
    # None yet: the count cuts nothing, and the article goes on after it (the count line
    # itself is left to the line rules).
    lines = [*MENU, "Ferry service to resume", *FERRY[:2], "Comments (0)", *FERRY[2:], *FOOTER]
    kept = kept_lines(lines, model, LineSettings())
    assert all(line in kept for line in FERRY)
    assert not any(line in kept for line in FOOTER)
    # Counts under teasers, three sizes on one page: the teasers are not comments.
    teasers = [
        "Harbour fees rise for the first time in ten years, the council confirmed.",
        "4 Comments",
        "The lighthouse keeper retires after forty winters on the rock.",
        "17 Comments",
    ]
    lines = [*MENU, "Ferry service to resume", *FERRY, "2 Comments", *teasers, *FOOTER]
    kept = kept_lines(lines, model, settings)
    assert all(line in kept for line in FERRY)
    assert teasers[0] in kept


@pytest.mark.parametrize("heading", ["Related stories", "Ähnliche Beiträge", "Les plus lus :"])
def test_a_list_of_other_stories_ends_the_body(heading: str) -> None:
    teasers = [
        "Harbour fees rise for the first time in ten years, the council confirmed.",
        "The lighthouse keeper retires after forty winters on the rock.",
    ]
    lines = [*MENU, "Ferry service to resume", *FERRY, heading, *teasers, *FOOTER]
    assert kept_lines(lines, sentence_model(4.0), LineSettings()) == [
        "Ferry service to resume",
        *FERRY,
    ]
    # An inline teaser mark inside the article is no such heading, nor is a "Most read" box
    # above the article's sentences.
    lines = [
        *MENU,
        "Ferry service to resume",
        "Most read",
        *FERRY[:2],
        "Related article",
        *FERRY[2:],
    ]
    kept = kept_lines([*lines, *FOOTER], sentence_model(4.0), LineSettings())
    assert all(line in kept for line in FERRY)


def test_the_article_stands_above_the_comment_form() -> None:
    form = ["Leave a Reply", "Name", "Email", "Website", "Post Comment"]
    licence = [
        "The photos on this blog are under a Creative Commons licence for non-commercial use.",
        "Other uses need the written consent of the author, who can be reached by email.",
        "The author takes no responsibility for the content of the external links on this site.",
        "Their operators alone are responsible for what the linked pages say and show.",
        "This blog is written in the author's spare time and carries no advertising at all.",
        "Its recipes were tested at home, and readers are welcome to suggest their own ones.",
    ]
    lines = [*MENU, "Ferry service to resume", *FERRY, *form, *MENU, *licence]
    kept = kept_lines(lines, sentence_model(4.0), LineSettings())
    # The footer's six sentences outweigh the article's four, but stand below the form.
    assert kept == ["Ferry service to resume", *FERRY]
    # Without a form between them, the longer stretch is the body.
    lines = [*MENU, "Ferry service to resume", *FERRY, *MENU, *licence]
    kept = kept_lines(lines, sentence_model(4.0), LineSettings())
    assert all(line in kept for line in licence)


def test_quoted_lines_go_only_where_the_model_is_sure() -> None:
    quoted_comment = '"Build a second ferry now," wrote one reader, and many others agreed.'
    quoted_teaser = '"We are not giving up": the mayor on the flood defences'
    quoted_aside = '"The crossing is our lifeline," the harbour master told the council last year.'
    lines = [
        *MENU,
        "Ferry service to resume",
        *FERRY,
        *GALLERY,
        quoted_teaser,
        quoted_aside,
        *GALLERY,
        "Leave a Reply",
        quoted_comment,
        *FOOTER,
    ]
    model = sentence_model(4.0)
    draft = analyse("\n".join(lines), judge=lambda page: judge_lines(page, model, LineSettings()))
    kept = [line.text for line in draft.kept]
    # Outside the article and improbable (a teaser), or in the comments: dropped.
    assert quoted_teaser not in kept
    assert quoted_comment not in kept
    # Outside the article but probable body: the model is unsure, and a quote is kept.
    assert quoted_aside in kept
    assert all(line in kept for line in FERRY)
