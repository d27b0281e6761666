"""Line-level analysis of scraped article text: which lines are page junk, and why.

Input: article text as plain lines (header line already taken off). Output: a ``Draft`` whose
lines each carry a removal reason or ``None`` (kept), plus the bylines and timestamp lines that
were found on the way, for the metadata step.

Order of the passes (each sees the verdicts of the ones before):

1. split into lines; re-join a sentence that a scraper broke over two lines;
2. strip promo phrases glued to a line ("You can now listen to ... articles!"); for a whole
   scraped page, the learned judgement (``_lines``) drops what lies outside the article
   (``boilerplate``), keeping the headline above it;
3. single-line rules: adverts, share/subscribe/cookie lines, timestamps, bylines, credits;
4. captions: a line that ends in a photo credit, and the short heading just before it;
5. the title: the first kept line; menu and section-label lines around it are dropped;
6. teaser tails: from a "You may also like" marker to the end when what follows is teasers,
   else the marker and the teaser run right after it; "Read more: ..." lines;
7. trailing headlines after the last body paragraph;
8. block kinds for the kept lines: title, subhead, paragraph.

The one guarantee: a *protected* line (a quoted sentence, or a long line that ends like a
sentence) is never dropped by passes 3-5 and 7; only a teaser tail (pass 6) may drop one, and
only when the lines after its marker are clearly teasers. The learned judgement (pass 2) drops
a quoted sentence only where it is sure: past a comment section's start, or outside the
article's stretch of lines and improbable as body (a reader's comment, a teaser quoting someone).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from onrecord.clean._dates import find_dates
from onrecord.clean._lines import LineVerdict
from onrecord.lang import DEFAULT_LANGUAGE, JunkPatterns, junk_patterns_for
from onrecord.models import BlockKind, Removed

log = logging.getLogger(__name__)

PROMO_ONLY = "promo-only"
PROTECT_MIN_WORDS = 12
QUOTE_MIN_WORDS = 4
HEADLINE_MAX_WORDS = 25
SUBHEAD_MAX_WORDS = 20
RULE_MAX_WORDS = 40
JOIN_MIN_WORDS = 6
TAIL_MIN_TEASERS = 2
TAIL_MIN_SHARE = 0.7
BODY_RUN = 2
BYLINE_MAX_WORDS = 16
STAMP_MAX_WORDS = 20
MENU_MIN_ITEMS = 3
MENU_MIN_RUN = 2
TITLE_MIN_WORDS = 5
LABEL_MAX_WORDS = 2
ROLE_BYLINE_WORDS = (3, 7)
ROLE_WORDS = frozenset(
    {"correspondent", "editor", "reporter", "writer", "columnist", "analyst", "contributor",
     "journalist", "producer"}
)  # fmt: skip

QUOTE_CHARS = '"“”«»„‟'
QUOTE_SPLIT = re.compile(r"[\"“”«»„‟]")
SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*$")
PROTECTED_END = re.compile(r"[.!?…:][\"'”’»)\]]*$")
SUBHEAD_BAD_END = re.compile(r"[.!?…:;,][\"'”’»)\]]*$")
QUESTION_END = re.compile(r"[?!][\"'”’»)\]]*$")
ELLIPSIS_END = re.compile(r"(?:…|\.\.\.)[\"'”’»)\]]*$")
TIME = re.compile(
    r"\b\d{1,2}[:.h]\d{2}(?:[:.]\d{2})?\s*(?:[ap]\.?m\.?)?(?![\d])|\b\d{1,2}\s*[ap]\.?m\.?(?!\w)"
    # "Updated 1358 GMT (2158 HKT)": four digits before a time zone's capitals.
    r"|\b(?:[01]\d|2[0-3])[0-5]\d(?=\s+\(?(?-i:[A-Z]{2,4}T|UTC)\b)",
    re.IGNORECASE,
)
# A live page's time stamp opening a paragraph: "10:42 — The weather service ...",
# "14.05 GMT – Ferries ...". The words after it are the article's; the stamp is not.
LEADING_STAMP = re.compile(
    r"(?:\d{1,2}[:.]\d{2}(?:\s?[ap]\.?m\.?)?(?:\s(?-i:[A-Z]{2,4}T|UTC|GMT|ET|PT))?)"
    r"\s*[-\u2013\u2014]\s+(?=(?-i:[\"“'‘A-Z]))",
    re.IGNORECASE,
)
RELATIVE = re.compile(
    r"\b\d+\s*(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|h|days?|d|weeks?|months?)\s+ago\b|"
    r"\b(?:yesterday|today|just now)\b|\b\d+\s*min(?:ute)?s?\s+(?:read|listen)\b",
    re.IGNORECASE,
)
STAMP_WORDS = frozenset(
    """published updated posted last modified first on at am pm a.m p.m gmt utc bst cet cest est
    edt cst cdt pst pdt et pt msk ist jst aest eet eest z ago seconds second secs sec minutes
    minute mins min hours hour hrs hr h days day d weeks week months month yesterday today just
    now read reading listen time date and as of updated: by
    monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri
    sat sun january february march april may june july august september october november
    december jan feb mar apr jun jul aug sep sept oct nov dec
    hkt sgt jst kst aedt aest cat eat wat sast ict mez mesz
    veröffentlicht aktualisiert zuletzt geändert am um uhr stand
    montag dienstag mittwoch donnerstag freitag samstag sonntag
    publié mis à jour le modifié lundi mardi mercredi jeudi vendredi samedi dimanche
    publicado actualizado el las""".split()  # noqa: SIM905 - a word list reads better as text
)
BYLINE = re.compile(
    r"^(?:(?:By|BY|Written by|Words by|Story by|Reporting by|Reported by|Text by)\s*:?"
    r"|(?:Author|Authors)\s*:)"
    r"\s+(?P<names>.+)$"
)
# The same in German, French and Spanish ("von Jana Roth", "par Luc Martin, 21 juin 2018"),
# read only in text that is not English: an English headline may start "Von Miller ...".
FOREIGN_BYLINE = re.compile(
    r"^(?:(?:[Vv]on|VON|[Pp]ar|[Pp]or)\s*:?|(?:Autor|Autorin|Auteur)\s*:)\s+(?P<names>.+)$"
)
NAME_PARTICLES = frozenset({"de", "da", "di", "van", "von", "der", "den", "la", "le", "bin", "al"})
BYLINE_EXTRAS = re.compile(
    r"^(?:in\s+\w.*|staff|staff writer|staff reporter|correspondent|.*\b(?:correspondent|editor|"
    r"reporter|writer|contributor|columnist|analyst|bureau|chief|news|press|agency|desk|staff|"
    r"times|post|journal|herald|tribune|guardian|telegraph|daily|media|tv|radio)\b.*|"
    r"reuters|ap|afp|associated press|bloomberg|tass|sputnik|ria novosti|xinhua|cnn|bbc|pa)$",
    re.IGNORECASE,
)
BYLINE_PLACE = re.compile(r"\s+in\s+[A-Z][\w .'’-]*$")
NAME_SPLIT = re.compile(r"\s*(?:,|;|\b(?:and|und|et|y)\b|&|\|)\s*")
EXTRA_CREDIT = re.compile(
    r"^(?:Additional reporting|Editing|Edited|Writing|Compiled) by\b.{0,150}$"
)
CREDIT_WORD = re.compile(r"\b(?:photo|getty|image|picture|credit)\b", re.IGNORECASE)
PART_SPLIT = re.compile(r"\s+[|•·]\s+")
# A call to read on, alone on its line, in the languages pages most often come in besides
# English (whose own phrases are in its junk patterns): "weiterlesen", "Lire la suite".
READ_ON = re.compile(
    r"(?:weiter ?lesen|mehr lesen|mehr|mehr dazu|zum artikel|lire la suite|lire plus|"
    r"en savoir plus|leer m[aá]s|seguir leyendo|leggi (?:tutto|di più)|continua a leggere|"
    r"lees (?:verder|meer))(?:\s+(?:sur|auf|en|su|op)\s+.{1,60})?[\s.:!»›>…]*",
    re.IGNORECASE,
)
# The page's own controls and comment labels, alone on a line, in the same languages: "Vorlesen",
# "Écouter", "Drucken", "7 Minuten Lesezeit", "Kommentare geschlossen", "Keine Kommentare".
PAGE_CONTROL = re.compile(
    r"(?:\|\s*)?(?:vorlesen|anhören|écouter|escuchar|drucken|imprimer|imprimir|teilen|partager|"
    r"compartir|merken|lire|voir|e-mail[- ]adresse|adresse e-mail|mehr laden|charger plus|"
    r"\d+\s*(?:minuten|min\.?)(?:\s+lesezeit)?|lesezeit:?\s*\d+\s*min(?:uten|\.)?|"
    r"(?:keine|noch keine|aucun|sin)\s+(?:kommentare|commentaires?|comentarios)|"
    r"kommentare(?:\s*\(\d+\))?|kommentare geschlossen|kommentarfeed|trackback-url|"
    r"es wurden noch keine kommentare geschrieben|schreiben sie einen kommentar|"
    r"commentaires? fermés|(?:view|show) comments|comments (?:are )?closed)[\s.:!|]*",
    re.IGNORECASE,
)
# A photo credit after a caption: "Market square in Linz © Tourist Board / Ana Berg".
COPYRIGHT_TAIL = re.compile(r"(?<=\S)\s+(?P<credit>©\s*[^©\s][^©]{1,100})$")


@dataclass(slots=True)
class Line:
    """One input line (or two re-joined) with its verdict.

    ``start``/``end`` index the text given to ``analyse``; ``text`` is the line after promo
    phrases were stripped and runs of whitespace squashed. ``reason`` is ``None`` for a kept
    line; ``cut`` lists pieces removed from inside the line.
    """

    text: str
    start: int
    end: int
    gap_before: bool
    reason: str | None = None
    kind: BlockKind = "paragraph"
    cut: list[Removed] = field(default_factory=list)


@dataclass(slots=True)
class Draft:
    """The outcome of ``analyse``: lines with verdicts, plus what metadata they held."""

    lines: list[Line]
    patterns: JunkPatterns = field(default_factory=lambda: junk_patterns_for(DEFAULT_LANGUAGE))
    language: str | None = None
    removed: list[Removed] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    stamps: list[str] = field(default_factory=list)

    @property
    def kept(self) -> list[Line]:
        """The lines that stay in the article."""
        return [line for line in self.lines if line.reason is None]


def word_count(text: str) -> int:
    """Count whitespace-separated words."""
    return len(text.split())


def has_quoted_sentence(text: str) -> bool:
    """Tell whether a line quotes at least a few words (an opened quote may run past the line)."""
    segments = QUOTE_SPLIT.split(text)
    # Quote marks pair up badly in scraped text, so every stretch after the first mark counts:
    # this protects a little more than the quoted words, never less.
    return any(word_count(segment) >= QUOTE_MIN_WORDS for segment in segments[1:])


def is_protected(text: str) -> bool:
    """Tell whether a line reads as body text that no line rule may drop."""
    if has_quoted_sentence(text):
        return True
    # A long line that introduces a list or an embed ("..., he wrote:") is a sentence too.
    return word_count(text) >= PROTECT_MIN_WORDS and PROTECTED_END.search(text) is not None


def is_sentence(text: str) -> bool:
    """Tell whether a line ends like a sentence."""
    return SENTENCE_END.search(text) is not None


def analyse(
    text: str,
    *,
    is_scraped: bool = True,
    has_title: bool = True,
    is_title_first: bool = False,
    judge: Callable[[list[str]], list[LineVerdict]] | None = None,
    patterns: JunkPatterns | None = None,
    language: str | None = None,
) -> Draft:
    """Find the junk lines of an article's text.

    Args:
        text: Article text, title first, header line already removed.
        is_scraped: Drop trailing headlines after the last paragraph; off for text that an HTML
            extractor already cut to the article body.
        has_title: Whether the first kept line is the title.
        is_title_first: The first line is the title whatever it looks like (the line after a
            ``date YYYY-MM-DD URL`` header is, by that format).
        judge: Tells, for all lines at once, which belong to the article and how sure it is
            (the learned line classifier); ``None`` leaves every line to the rules.
        patterns: Page-junk phrases to use instead of those of ``language``.
        language: The text's language code, where known: it picks the page-junk phrases
            (``lang.junk_patterns_for``; the default language's when unknown), and some
            bylines are read only in text that is not English.

    Returns:
        A ``Draft`` with a verdict on each line.
    """
    draft = Draft(
        lines=_split_lines(text),
        patterns=patterns or junk_patterns_for(language),
        language=language,
    )
    fixed = draft.lines[0] if is_title_first and draft.lines else None
    _strip_promos(draft)
    if judge is not None:
        _apply_judge(draft, judge, skip=fixed)
    if fixed is not None and fixed.reason is not None:
        fixed = None
    _apply_line_rules(draft, skip=fixed)
    _mark_captions(draft, skip=fixed)
    if fixed is not None:
        title: Line | None = fixed
        fixed.kind = "title"
        _mark_title_twins(draft, fixed)
    else:
        title = _mark_title(draft, has_title=has_title)
    _mark_tails(draft, title)
    if is_scraped:
        _mark_trailing_headlines(draft)
    _mark_kinds(draft, title)
    for line in draft.lines:
        draft.removed.extend(line.cut)
        # A line emptied by promo stripping is reported through the phrases cut from it.
        if line.reason is not None and line.reason != PROMO_ONLY:
            draft.removed.append(Removed(line.text, line.reason))
    return draft


def _split_lines(text: str) -> list[Line]:
    lines: list[Line] = []
    offset = 0
    gap = False
    for raw in text.splitlines(keepends=True):
        start, offset = offset, offset + len(raw)
        stripped = raw.strip()
        if not stripped:
            gap = True
            continue
        lead = len(raw) - len(raw.lstrip())
        line = Line(" ".join(stripped.split()), start + lead, start + lead + len(stripped), gap)
        gap = False
        previous = lines[-1] if lines else None
        if previous is not None and not line.gap_before and _is_broken(previous.text, line.text):
            previous.text = f"{previous.text} {line.text}"
            previous.end = line.end
            continue
        lines.append(line)
    return lines


def _is_broken(first: str, second: str) -> bool:
    # A scraper that wraps text breaks mid-sentence: a long line without final punctuation
    # followed by a line that starts in lower case is one sentence.
    return (
        word_count(first) >= JOIN_MIN_WORDS
        and SUBHEAD_BAD_END.search(first) is None
        and second[:1].islower()
    )


def _strip_promos(draft: Draft) -> None:
    for line in draft.lines:
        while True:
            match = draft.patterns.listen_promo.match(line.text)
            if match is None or not match.group().strip():
                break
            line.cut.append(Removed(match.group().strip(), "promo"))
            line.text = line.text[match.end() :].strip()
        stamp = LEADING_STAMP.match(line.text)
        if stamp is not None:
            line.cut.append(Removed(stamp.group().strip(), "timestamp"))
            line.text = line.text[stamp.end() :]
        for note in reversed(list(draft.patterns.link_note.finditer(line.text))):
            line.cut.append(Removed(note.group().strip(), "link"))
            line.text = (line.text[: note.start()] + line.text[note.end() :]).strip()
        if not line.text:
            line.reason = PROMO_ONLY


def _apply_judge(
    draft: Draft, judge: Callable[[list[str]], list[LineVerdict]], *, skip: Line | None
) -> None:
    lines = [line for line in draft.lines if line.reason is None]
    for line, verdict in zip(lines, judge([line.text for line in lines]), strict=True):
        if verdict.is_kept or line is skip:
            continue
        # A quoted sentence is what onrecord exists to find: the model drops one only where it
        # is sure, outside the article (a reader's comment quoting someone, a teaser).
        if verdict.is_sure or not has_quoted_sentence(line.text):
            line.reason = "boilerplate"


def _apply_line_rules(draft: Draft, *, skip: Line | None) -> None:
    for line in draft.lines:
        if line.reason is None and line is not skip:
            line.reason = _line_reason(line.text, draft)


def _line_reason(text: str, draft: Draft) -> str | None:
    if has_quoted_sentence(text):
        return None
    for reason, pattern in draft.patterns.strong_rules:
        if pattern.fullmatch(text):
            return reason
    if is_protected(text) or word_count(text) > RULE_MAX_WORDS:
        return None
    parts = PART_SPLIT.split(text)
    if len(parts) > 1:
        # "By A | Published 3 March 2025": junk only when every part is; metadata kept apart
        # until then.
        scratch = Draft(lines=[])
        reasons = [_short_reason(part, scratch) for part in parts]
        if all(reasons):
            draft.stamps.extend(scratch.stamps)
            draft.authors.extend(name for name in scratch.authors if name not in draft.authors)
            return next(found for found in reasons if found is not None)
    found = _short_reason(text, draft)
    if found is None and _is_menu_list(text, draft.patterns):
        return "nav"
    return found


def _short_reason(text: str, draft: Draft) -> str | None:
    for reason, pattern in draft.patterns.weak_rules:
        if pattern.fullmatch(text):
            return reason
    if draft.patterns.credit_line.fullmatch(text) and not is_sentence(text):
        return "credit"
    if READ_ON.fullmatch(text):
        return "promo"
    if PAGE_CONTROL.fullmatch(text):
        return "share"
    if _is_stamp(text):
        draft.stamps.append(text)
        return "timestamp"
    return _credit_reason(text, draft)


def _role_byline(text: str) -> str | None:
    """Read "Elena Park Political correspondent" (a byline without "By") as the name."""
    tokens = text.replace(",", " ").split()
    if not ROLE_BYLINE_WORDS[0] <= len(tokens) <= ROLE_BYLINE_WORDS[1] or is_sentence(text):
        return None
    if tokens[-1].lower() not in ROLE_WORDS:
        return None
    size = 2
    while size < len(tokens) - 1 and tokens[size - 1].lower() in NAME_PARTICLES:
        size += 1
    name = " ".join(tokens[:size])
    return _tidy_name(name) if _looks_like_name(name) else None


def _credit_reason(text: str, draft: Draft) -> str | None:
    role_name = _role_byline(text)
    if role_name is not None:
        if role_name not in draft.authors:
            draft.authors.append(role_name)
        return "byline"
    # "Reporting by A and B; Editing by C": every clause must be a byline or a credit.
    clauses = [clause.strip() for clause in text.split(";") if clause.strip()]
    found: list[str] = []
    reason: str | None = None
    for clause in clauses:
        names = _byline_names(clause, is_english=draft.language == DEFAULT_LANGUAGE)
        if names is not None:
            found.extend(names)
            reason = "byline"
        elif EXTRA_CREDIT.match(clause):
            reason = reason or "credit"
        else:
            return None
    draft.authors.extend(name for name in found if name not in draft.authors)
    return reason


def _is_stamp(text: str) -> bool:
    if word_count(text) > STAMP_MAX_WORDS:
        return False
    dates = find_dates(text)
    rest = text
    for found in reversed(dates):
        rest = rest[: found.start] + " " + rest[found.end :]
    has_anchor = bool(dates)
    rest, count = TIME.subn(" ", rest)
    has_anchor = has_anchor or count > 0
    rest, count = RELATIVE.subn(" ", rest)
    has_anchor = has_anchor or count > 0
    if not has_anchor:
        return False
    words = re.findall(r"[^\W\d_]+(?:\.[^\W\d_]+)*", rest.lower())
    return all(word in STAMP_WORDS for word in words)


def _byline_names(text: str, *, is_english: bool) -> list[str] | None:
    match = BYLINE.match(text) or (None if is_english else FOREIGN_BYLINE.match(text))
    if match is None or word_count(text) > BYLINE_MAX_WORDS or is_sentence(text.rstrip(".")):
        return None
    names_text = match["names"]
    for found in reversed(find_dates(names_text)):
        names_text = names_text[: found.start] + names_text[found.end :]
    names: list[str] = []
    for part in NAME_SPLIT.split(names_text.strip(" ,.;|-")):
        part = BYLINE_PLACE.sub("", part).strip(" .-–—")
        if not part or BYLINE_EXTRAS.match(part):
            continue
        # "Von Jana Roth, Berlin": one capitalised word after a name is the place.
        if names and part.isalpha() and part[:1].isupper() and " " not in part:
            continue
        if _looks_like_name(part):
            names.append(_tidy_name(part))
        elif not _is_stamp(part):
            return None
    return names


def _looks_like_name(text: str) -> bool:
    tokens = text.split()
    if not 2 <= len(tokens) <= 5:
        return False
    for token in tokens:
        if token.lower() in NAME_PARTICLES:
            continue
        if not token[:1].isupper():
            return False
        if not all(ch.isalpha() or ch in ".'’-" for ch in token):
            return False
    return True


def _tidy_name(text: str) -> str:
    if text.isupper():
        return " ".join(token.capitalize() for token in text.split())
    return text


def _mark_captions(draft: Draft, *, skip: Line | None) -> None:
    lines = draft.lines
    for index, line in enumerate(lines):
        if line.reason is not None or line is skip:
            continue
        credit = _caption_credit(line.text, draft.patterns)
        if credit is None:
            continue
        before = line.text[: line.text.rfind(credit)].rstrip()
        if has_quoted_sentence(line.text) or (credit.startswith("©") and is_protected(before)):
            # Keep the quoted words (or a paragraph that a copyright notice follows); drop only
            # the credit that ends the line.
            line.cut.append(Removed(credit, "credit"))
            line.text = line.text[: line.text.rfind(credit)].rstrip()
            continue
        line.reason = "caption"
        previous = lines[index - 1] if index else None
        if (
            previous is not None
            and previous.reason is None
            and index - 1 > 0
            and word_count(previous.text) <= SUBHEAD_MAX_WORDS
            and not is_sentence(previous.text)
            and not has_quoted_sentence(previous.text)
        ):
            previous.reason = "caption"


def _caption_credit(text: str, patterns: JunkPatterns) -> str | None:
    match = patterns.credit_paren.search(text)
    if match is not None and match.start() > 0:
        inner = match["credit"]
        if "/" not in inner or patterns.credit_slash.search(inner) or CREDIT_WORD.search(inner):
            return match.group().strip()
    match = patterns.credit_tail.search(text) or COPYRIGHT_TAIL.search(text)
    if match is not None:
        return match["credit"]
    return None


def _mark_title(draft: Draft, *, has_title: bool) -> Line | None:
    title: Line | None = None
    for line in draft.lines:
        if line.reason is not None:
            continue
        if _is_menu(line.text, draft.patterns) or not any(ch.isalnum() for ch in line.text):
            line.reason = "nav"
            continue
        # A first line that is a whole paragraph is the body's start: the page's headline was
        # not in the text (or was dropped as junk), and no paragraph is promoted to title.
        is_paragraph = is_sentence(line.text) and word_count(line.text) > RULE_MAX_WORDS
        title = line if has_title and not is_paragraph else None
        break
    if title is None:
        return None
    title = _skip_short_top_lines(draft, title)
    title.kind = "title"
    _mark_title_twins(draft, title)
    return title


def _mark_title_twins(draft: Draft, title: Line) -> None:
    """Drop labels between title and body, and repeats of the title."""
    _mark_labels_after(draft, title)
    key = title.text.casefold()
    for line in draft.lines:
        if line is not title and line.reason is None and line.text.casefold() == key:
            line.reason = "duplicate"


def _skip_short_top_lines(draft: Draft, first: Line) -> Line:
    """Pass over menu items that the vocabulary misses ("Print subscriptions", "Search jobs").

    Above the first body paragraph, a run of two or more very short lines followed by a
    headline-length line is a menu, and the headline is the title. A short first line followed
    by one longer line is left alone: that is a short title and its standfirst.
    """
    top: list[Line] = []
    for line in draft.lines[draft.lines.index(first) :]:
        if line.reason is not None:
            continue
        if is_protected(line.text) or (is_sentence(line.text) and word_count(line.text) >= 8):
            break
        if line is first or not _is_menu(line.text, draft.patterns):
            top.append(line)
    if not top or word_count(first.text) >= TITLE_MIN_WORDS:
        return first
    for index, line in enumerate(top):
        if word_count(line.text) >= TITLE_MIN_WORDS and not is_sentence(line.text):
            if index < MENU_MIN_RUN:
                return first
            start, end = draft.lines.index(first), draft.lines.index(line)
            for menu in draft.lines[start:end]:
                if menu.reason is None:
                    menu.reason = "nav"
            return line
    return first


def _mark_labels_after(draft: Draft, title: Line) -> None:
    # Section labels ("Politics", "Live") sit between the title and the first sentence.
    for line in draft.lines[draft.lines.index(title) + 1 :]:
        if line.reason is not None:
            continue
        if is_sentence(line.text) or has_quoted_sentence(line.text):
            return
        # Between title and body, one- or two-word lines are labels and dateline scraps
        # ("Analysis", "Washington", "CNN"), never statements.
        if (
            _is_menu(line.text, draft.patterns)
            or not any(ch.isalnum() for ch in line.text)
            or (word_count(line.text) <= LABEL_MAX_WORDS and not is_sentence(line.text))
        ):
            line.reason = "nav"


def _is_menu(text: str, patterns: JunkPatterns) -> bool:
    if any(ch in text for ch in QUOTE_CHARS) or is_sentence(text):
        return False
    if _is_menu_list(text, patterns):
        return True
    words = re.findall(r"[\w.'-]+", text.lower())
    return bool(words) and word_count(text) <= 6 and all(w in patterns.nav_words for w in words)


def _is_menu_list(text: str, patterns: JunkPatterns) -> bool:
    """Tell whether a line is a list of three or more short links ("Home | World | Sport")."""
    if any(ch in text for ch in QUOTE_CHARS) or is_sentence(text):
        return False
    items = [item for item in patterns.list_separators.split(text) if item]
    return len(items) >= MENU_MIN_ITEMS and all(word_count(item) <= 3 for item in items)


def _is_teaser(line: Line) -> bool:
    text = line.text
    if line.reason is not None or ELLIPSIS_END.search(text):
        return True
    if (
        text[:1] in QUOTE_CHARS
        and text[-1:] in QUOTE_CHARS
        and word_count(text) <= HEADLINE_MAX_WORDS
    ):
        return True
    if word_count(text) <= HEADLINE_MAX_WORDS and QUESTION_END.search(text):
        return True  # a question headline ("... - what happens next?")
    return word_count(text) <= HEADLINE_MAX_WORDS and SUBHEAD_BAD_END.search(text) is None


def _tail_teasers(rest: list[Line]) -> list[bool]:
    """Which lines after a marker are teasers: headlines, and the short blurb under each."""
    headlines = [_is_teaser(line) for line in rest]
    return [
        headlines[index]
        or (
            index > 0
            and headlines[index - 1]
            and word_count(line.text) < PROTECT_MIN_WORDS
            and not has_quoted_sentence(line.text)
        )
        for index, line in enumerate(rest)
    ]


def _mark_tails(draft: Draft, title: Line | None) -> None:
    lines = draft.lines
    index = 0
    while index < len(lines):
        line = lines[index]
        if line is title or line.reason not in (None, "promo"):
            index += 1
            continue
        # "Read more" alone is a promo line, but as a marker it also takes the teasers after it.
        if draft.patterns.related_marker.fullmatch(line.text):
            index = _mark_tail_from(lines, index)
            continue
        if (
            line.reason is None
            and draft.patterns.inline_teaser.fullmatch(line.text)
            and not is_protected(line.text)
        ):
            line.reason = "related-tail"
        index += 1


def _mark_tail_from(lines: list[Line], marker: int) -> int:
    # Lines that earlier passes already dropped (ads, share bars) say nothing either way.
    rest = [line for line in lines[marker + 1 :] if line.reason is None]
    flags = _tail_teasers(rest)
    lines[marker].reason = "related-tail"
    if (
        sum(flags) >= TAIL_MIN_TEASERS
        and sum(flags) >= TAIL_MIN_SHARE * len(rest)
        and not _has_body_run(rest)
        and not any(
            has_quoted_sentence(line.text) and not flag
            for line, flag in zip(rest, flags, strict=True)
        )
    ):
        for line in rest:
            if line.reason is None:
                line.reason = "related-tail"
        return len(lines)
    # A marker inside the body: drop the teaser run that follows it, never a protected line.
    index = marker + 1
    while index < len(lines) and _is_teaser(lines[index]) and not is_protected(lines[index].text):
        if lines[index].reason is None:
            lines[index].reason = "related-tail"
        index += 1
    return index


def _has_body_run(lines: list[Line]) -> bool:
    # Two body paragraphs in a row mean the article goes on after the marker; so does a quote
    # with its attribution (checked by the caller), which teasers do not carry.
    run = 0
    for line in lines:
        run = run + 1 if not _is_teaser(line) and is_protected(line.text) else 0
        if run >= BODY_RUN:
            return True
    return False


def _mark_trailing_headlines(draft: Draft) -> None:
    kept = draft.kept
    if len(kept) < 2:
        return
    body_seen = [is_sentence(line.text) for line in kept]
    if not any(body_seen[1:]):
        return
    for line in reversed(kept):
        # A short snippet cut off with an ellipsis is a teaser, not the end of the story.
        is_snippet = ELLIPSIS_END.search(line.text) is not None
        if line.kind == "title" or is_protected(line.text):
            break
        if is_sentence(line.text) and not is_snippet:
            break
        # Without a marker, only short lines go: a long one or one with a quote mark may be a
        # last paragraph that lost its full stop.
        if word_count(line.text) >= PROTECT_MIN_WORDS or any(ch in line.text for ch in QUOTE_CHARS):
            break
        line.reason = "related-tail"


def _mark_kinds(draft: Draft, title: Line | None) -> None:
    kept = [line for line in draft.kept if line is not title]
    sentences = [is_sentence(line.text) for line in kept]
    # before[i]: a sentence line comes earlier; after[i]: one comes later.
    before = [False] * len(kept)
    after = [False] * len(kept)
    for index in range(1, len(kept)):
        before[index] = before[index - 1] or sentences[index - 1]
    for index in range(len(kept) - 2, -1, -1):
        after[index] = after[index + 1] or sentences[index + 1]
    for index, line in enumerate(kept):
        if (
            before[index]
            and after[index]
            and word_count(line.text) <= SUBHEAD_MAX_WORDS
            and SUBHEAD_BAD_END.search(line.text) is None
            and not has_quoted_sentence(line.text)
        ):
            line.kind = "subhead"
