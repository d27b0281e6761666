"""A learned judgement of scraped lines: body text or page junk.

Input: the lines of a plain scraped text (all the visible text of a page). Output: for each
line, the probability that it belongs to the article body.

The model is a logistic regression over features of a line and of its neighbours: length,
punctuation, capitalisation, position, repetition, link-like and menu-like marks, and how
complete a sentence it is. It is trained by ``onrecord.clean.train_lines`` on real pages and
shipped as ``data/models/lines.json``; inference is a dot product in numpy.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path

import numpy as np

from onrecord.errors import ExtractError

MODEL_PATH = Path(__file__).resolve().parent.parent / "data" / "models" / "lines.json"
WINDOW = 3
WIDE_WINDOW = 8
HEADLINE_WORDS = (3, 25)
HEADLINE_LOOKBACK = 6

SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*$")
OTHER_END = re.compile(r"[:;,\-–—|»›>]$")
PUNCTUATION = re.compile(r"[.,;:!?]")
LINK_LIKE = re.compile(r"https?://|www\.|\.(?:com|org|net|co\.uk)\b|@\w", re.IGNORECASE)
SEPARATORS = re.compile(r"[|•·»›/©®™▶►→]|\s-\s")
QUOTES = re.compile(r"[\"“”«»„]")
# The start of a comment section ("Leave a Reply", "12 Comments", "Ana says:") ends the body:
# comments read like body text to the model, but are no part of the article.
_COMMENT_WORDS = (
    r"comments?|kommentare?|leserkommentare|responses?|r[ée]actions?|commentaires?|comentarios?"
    r"|reacties"
)
COMMENTS_START = re.compile(
    rf"^(?:\d+\s+)?(?:{_COMMENT_WORDS}|leave a (?:reply|comment)|reply|antworten|discussion"
    r"|kommentar (?:verfassen|schreiben)|schreibe einen kommentar"
    r"|(?:post|add|write) a comment|join the (?:discussion|conversation)"
    r"|[\w .'’-]{1,40} (?:says|sagt|schreibt)\s*:"
    r"|\d+ (?:thoughts|responses|replies|comments) (?:on|to) .*)(?:\s*\(\d+\))?\s*:?$",
    re.IGNORECASE,
)
# A heading that says comments follow for certain: how many there are ("35 Comments",
# "Comments (35)", "10 réactions") or an invitation to write one. Past it even the lines the
# model is sure of are readers' words. A bare "Reply" or "Ana says:" may be a subhead or a
# quote inside the article, so it does not count.
COMMENTS_CONFIRMED = re.compile(
    rf"^(?:\d+\s+(?:{_COMMENT_WORDS}|replies|antworten)|(?:{_COMMENT_WORDS})\s*\(\d+\)"
    r"|leave a (?:reply|comment)|kommentar (?:verfassen|schreiben)|schreibe einen kommentar"
    r"|laisser un commentaire|(?:post|add|write) a comment|join the (?:discussion|conversation)"
    r"|\d+ (?:thoughts|responses|replies|comments) (?:on|to) .*)\s*:?$",
    re.IGNORECASE,
)
COMMENT_COUNT = re.compile(r"^(?:(\d+)\s+\w+|\w+\s*\((\d+)\))\s*:?$")
# Comment counts of three or more sizes on one page sit under teasers, not over a section.
TEASER_COUNTS = 3
# The heading of a list of other stories ("Related stories", "DW recommends", "Ähnliche
# Beiträge", "Les plus lus"): after the article's first sentences it ends the stretch. Inline
# teaser marks ("Read more", "Related article", "Lesen Sie auch", "À lire aussi") stand inside
# articles, so they are not among them.
RELATED_START = re.compile(
    r"^(?:(?:you (?:may|might) )?also like"
    r"|related (?:stories|articles|news|content|coverage|reading|posts|links|topics)"
    r"|read (?:other )?related stories.*"
    r"|recommended(?: for you| stories| articles)?|next up(?: in)?"
    r"|most (?:read|popular|viewed|shared)|trending(?: now)?|see also|.{0,20} recommends"
    r"|ähnliche (?:beiträge|artikel|themen|posts)|verwandte (?:artikel|beiträge|themen)"
    r"|zusammenhängende (?:posts|beiträge|artikel)|das könnte (?:dich|sie) auch interessieren.*"
    r"|auch interessant|weitere (?:artikel|beiträge|nachrichten|themen).*"
    r"|mehr (?:zum thema|aus .{1,30}|dazu)|meistgelesen(?:e artikel)?|empfehlungen"
    r"|les plus lus.*|sur le même sujet|articles? (?:liés|similaires|recommandés)"
    r"|nos articles liés.*|derniers articles.*|dans la même rubrique|voir aussi"
    r"|noticias relacionadas|te puede interesar|lo más (?:leído|visto)|artículos relacionados"
    r"|más noticias|الأكثر تصفحاً)\s*[:»›….]*\s*$",
    re.IGNORECASE,
)
# A confirmed comment section or a list of other stories counts after this many sentence lines
# of the article's stretch.
SENTENCES_BEFORE = 2
DIGIT = re.compile(r"\d")
WORD = re.compile(r"\w+")

FEATURE_NAMES: tuple[str, ...] = (
    "log_words",
    "log_chars",
    "ends_sentence",
    "ends_open",
    "punctuation_per_word",
    "capitalised_share",
    "starts_lower",
    "digit_share",
    "position",
    "words_before_share",
    "is_repeated",
    "is_link_like",
    "log_separators",
    "is_all_caps",
    "has_quote",
    "short_word_share",
    "log_words_before",
    "log_words_after",
    "window_log_words",
    "window_sentence_share",
    "wide_density",
    "is_longest_run",
)


@dataclass(frozen=True, slots=True)
class LineSettings:
    """When and how the learned judgement drops lines of a plain text.

    Attributes:
        min_lines: Texts with fewer lines are articles already, not scraped pages.
        min_open_share: Share of lines that do not end like a sentence (menus, labels, links)
            from which a text counts as a scraped page.
        threshold: The body is the run of lines whose probabilities, less this, sum highest.
        keep_threshold: Inside that run, lines at least this probable are kept.
        sure_threshold: A line at least this probable is body wherever it stands.
    """

    min_lines: int = 12
    min_open_share: float = 0.4
    threshold: float = 0.5
    keep_threshold: float = 0.3
    sure_threshold: float = 0.95


@dataclass(frozen=True, slots=True)
class LineVerdict:
    """The learned judgement on one line.

    Attributes:
        is_kept: The line is the article's title or body.
        is_sure: The model is sure of the verdict: a kept line is at least ``sure_threshold``
            probable; a dropped line lies past a comment section's start, or outside the
            article's stretch and is less probable than ``threshold``. A quoted sentence that
            the model is sure to drop is a reader's comment or a teaser, and goes too.
    """

    is_kept: bool
    is_sure: bool = False


@dataclass(frozen=True, slots=True)
class LineModel:
    """Feature scaling and weights of the line classifier."""

    names: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float

    def to_json(self) -> str:
        """The model as the JSON text of ``lines.json`` (rounded, so a rebuild diffs cleanly)."""
        data = asdict(self)
        for key in ("mean", "scale", "weights"):
            data[key] = [round(value, 6) for value in data[key]]
        data["bias"] = round(self.bias, 6)
        return json.dumps(data, indent=1) + "\n"

    def probabilities(self, lines: Sequence[str]) -> list[float]:
        """The probability that each line is body text."""
        if not lines:
            return []
        x = (line_features(lines) - np.array(self.mean)) / np.array(self.scale)
        scores = x @ np.array(self.weights) + self.bias
        return [float(value) for value in 1.0 / (1.0 + np.exp(-scores))]


@cache
def load_line_model(path: Path = MODEL_PATH) -> LineModel:
    """Read the shipped line classifier.

    Raises:
        ExtractError: When the file is missing or not a model for these features.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        model = LineModel(
            names=tuple(data["names"]),
            mean=tuple(data["mean"]),
            scale=tuple(data["scale"]),
            weights=tuple(data["weights"]),
            bias=float(data["bias"]),
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ExtractError(
            f"[{ExtractError.code}] the line classifier {path} cannot be read ({exc}). "
            "Reinstall onrecord, or rebuild it with `make lines`."
        ) from exc
    if model.names != FEATURE_NAMES:
        raise ExtractError(
            f"[{ExtractError.code}] the line classifier {path} was trained on other features. "
            "Rebuild it with `make lines`."
        )
    return model


def looks_scraped(lines: Sequence[str], settings: LineSettings) -> bool:
    """Whether a text reads as a whole scraped page rather than an article's own lines."""
    if len(lines) < settings.min_lines:
        return False
    open_lines = sum(not SENTENCE_END.search(line) for line in lines)
    return open_lines / len(lines) >= settings.min_open_share


def judge_lines(
    lines: Sequence[str], model: LineModel, settings: LineSettings
) -> list[LineVerdict]:
    """Which lines of a scraped page are the article: its title and its body.

    The body is the stretch of lines that the model most believes in (the run whose
    probabilities, less ``threshold``, sum highest), smoothed over each line's neighbours, cut
    where a comment section or a list of other stories starts (``_cuts``), less the improbable
    lines inside it. Outside it, the lines the model is sure of (``sure_threshold``) are body
    too: an article split by a box or a gallery, or a line wrongly read as a comment section's
    start ("Reply", "Ana says:") inside it; but not past a heading that confirms the comments.
    The title is the last headline-like line just before the stretch.

    Args:
        lines: The page's lines, in order.
        model: The trained classifier.
        settings: Thresholds.

    Returns:
        One verdict per line.
    """
    if not looks_scraped(lines, settings):
        return [LineVerdict(is_kept=True) for _ in lines]
    raw = np.array(model.probabilities(lines))
    smooth = raw.copy()
    smooth[1:-1] = 0.5 * raw[1:-1] + 0.25 * (raw[:-2] + raw[2:])
    start, end = _best_run(smooth, settings.threshold)
    start, end = _before_comment_form(lines, raw, smooth, (start, end), settings.threshold)
    cuts = _cuts(lines, raw, start)
    comments, confirmed = cuts.comments, cuts.confirmed
    end = min([end, *(cut for cut in (comments, cuts.related) if cut is not None)])
    verdicts = []
    for index, probability in enumerate(raw):
        is_inside = start <= index < end
        is_readers = confirmed is not None and index >= confirmed
        is_sure_body = bool(probability >= settings.sure_threshold) and not is_readers
        if (is_inside and smooth[index] >= settings.keep_threshold) or is_sure_body:
            verdicts.append(LineVerdict(is_kept=True, is_sure=is_sure_body))
            continue
        is_comment = comments is not None and index >= comments
        is_sure_junk = is_comment or (not is_inside and probability < settings.threshold)
        verdicts.append(LineVerdict(is_kept=False, is_sure=bool(is_sure_junk)))
    for index in range(start - 1, max(start - HEADLINE_LOOKBACK, 0) - 1, -1):
        words = len(lines[index].split())
        if HEADLINE_WORDS[0] <= words <= HEADLINE_WORDS[1] and not SENTENCE_END.search(
            lines[index]
        ):
            is_sure_body = raw[index] >= settings.sure_threshold
            verdicts[index] = LineVerdict(is_kept=True, is_sure=bool(is_sure_body))
            break
    return verdicts


def _before_comment_form(
    lines: Sequence[str],
    raw: np.ndarray,
    smooth: np.ndarray,
    run: tuple[int, int],
    threshold: float,
) -> tuple[int, int]:
    """The article's stretch, when the page's comment form stands above the one found.

    A form that invites a comment ("Leave a Reply", "Kommentar verfassen") follows the article:
    a stretch after it is the page's footer or sidebar (a licence, a disclaimer, an author's
    note) however well it reads. The stretch is then the best run before the form, when that
    run holds ``SENTENCES_BEFORE`` probable sentence lines or more; else ``run`` stays.
    """
    start = run[0]
    forms = [
        index
        for index in range(1, start)
        if COMMENTS_CONFIRMED.match(lines[index]) and not COMMENT_COUNT.match(lines[index])
    ]
    for form in reversed(forms):
        before = _best_run(smooth[:form], threshold)
        sentences = sum(
            1 for index in range(*before) if raw[index] >= 0.5 and SENTENCE_END.search(lines[index])
        )
        if before[1] > before[0] and sentences >= SENTENCES_BEFORE:
            return before
    return run


@dataclass(frozen=True, slots=True)
class _Cuts:
    """Where the article's stretch ends before the page does (line indexes, or ``None``).

    Attributes:
        comments: A comment heading (``COMMENTS_START``).
        confirmed: A heading that counts the comments or invites one
            (``COMMENTS_CONFIRMED``): readers' words follow for certain.
        related: The heading of a list of other stories (``RELATED_START``).
    """

    comments: int | None
    confirmed: int | None
    related: int | None


def _cuts(lines: Sequence[str], raw: np.ndarray, start: int) -> _Cuts:
    """Find the headings after the stretch's first line that end the article.

    A confirmed comment section and a list of other stories count only after
    ``SENTENCES_BEFORE`` probable sentence lines of the stretch, so that a comment count or a
    "Most read" box beside the byline ends nothing. A comment count of none, or counts of
    ``TEASER_COUNTS`` sizes or more on the page (teasers' comment counts), is no heading at all.
    """
    counts: dict[int, int] = {}
    for index, line in enumerate(lines):
        match = COMMENT_COUNT.match(line)
        if match and COMMENTS_START.match(line):
            counts[index] = int(match.group(1) or match.group(2))
    under_teasers = len(set(counts.values())) >= TEASER_COUNTS
    comments = confirmed = related = None
    sentences = 0
    for index in range(start + 1, len(lines)):
        line = lines[index]
        if raw[index - 1] >= 0.5 and SENTENCE_END.search(lines[index - 1]):
            sentences += 1
        is_counted = sentences >= SENTENCES_BEFORE
        if related is None and is_counted and RELATED_START.match(line):
            related = index
        if index in counts and (counts[index] == 0 or under_teasers):
            continue
        if comments is None and COMMENTS_START.match(line):
            comments = index
        if confirmed is None and is_counted and COMMENTS_CONFIRMED.match(line):
            confirmed = index
    return _Cuts(comments, confirmed, related)


def _best_run(values: np.ndarray, threshold: float) -> tuple[int, int]:
    best, total, start = (0, 0, 0.0), 0.0, 0
    for index, value in enumerate(values):
        if total <= 0:
            total, start = 0.0, index
        total += float(value) - threshold
        if total > best[2]:
            best = (start, index + 1, total)
    return best[0], best[1]


def line_features(lines: Sequence[str]) -> np.ndarray:
    """One row of ``FEATURE_NAMES`` values per line."""
    count = len(lines)
    words = [len(WORD.findall(line)) for line in lines]
    total = max(sum(words), 1)
    ends = [bool(SENTENCE_END.search(line)) for line in lines]
    seen = Counter(" ".join(line.lower().split()) for line in lines)
    longest = _longest_run(words, ends)
    density = _density(words)
    peak = max(density) or 1.0
    rows = np.zeros((count, len(FEATURE_NAMES)))
    before = 0
    for index, line in enumerate(lines):
        tokens = WORD.findall(line)
        letters = [ch for ch in line if ch.isalpha()]
        low, high = max(0, index - WINDOW), min(count, index + WINDOW + 1)
        rows[index] = (
            math.log1p(words[index]),
            math.log1p(len(line)),
            float(ends[index]),
            float(bool(OTHER_END.search(line))),
            len(PUNCTUATION.findall(line)) / max(words[index], 1),
            sum(token[0].isupper() for token in tokens) / max(len(tokens), 1),
            float(line[:1].islower()),
            len(DIGIT.findall(line)) / max(len(line), 1),
            index / max(count - 1, 1),
            before / total,
            float(seen[" ".join(line.lower().split())] > 1),
            float(bool(LINK_LIKE.search(line))),
            math.log1p(len(SEPARATORS.findall(line))),
            float(bool(letters) and all(ch.isupper() for ch in letters) and len(letters) > 1),
            float(bool(QUOTES.search(line))),
            sum(len(token) <= 3 and token.islower() for token in tokens) / max(len(tokens), 1),
            math.log1p(words[index - 1]) if index else 0.0,
            math.log1p(words[index + 1]) if index + 1 < count else 0.0,
            sum(math.log1p(value) for value in words[low:high]) / (high - low),
            sum(ends[low:high]) / (high - low),
            density[index] / peak,
            float(longest[0] <= index < longest[1]),
        )
        before += words[index]
    return rows


def _density(words: Sequence[int]) -> list[float]:
    count = len(words)
    out = []
    for index in range(count):
        low, high = max(0, index - WIDE_WINDOW), min(count, index + WIDE_WINDOW + 1)
        out.append(sum(words[low:high]) / (high - low))
    return out


def _longest_run(words: Sequence[int], ends: Sequence[bool]) -> tuple[int, int]:
    """The lines ``[start, end)`` of the run of sentence lines holding the most words.

    A run goes on over short lines in between (subheads, an image caption) as long as two in a
    row do not end like sentences.
    """
    best = (0, 0, 0)
    start, size, misses = -1, 0, 0
    for index, is_end in enumerate(ends):
        if is_end and words[index] >= WINDOW:
            if start < 0:
                start, size = index, 0
            size += words[index]
            misses = 0
            if size > best[2]:
                best = (start, index + 1, size)
        elif start >= 0:
            misses += 1
            if misses > 2:
                start, size, misses = -1, 0, 0
    return best[0], best[1]
