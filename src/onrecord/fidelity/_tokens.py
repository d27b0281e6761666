"""Quote text -> words for alignment: each with its surface form, a folded form and marks.

The folded form is what alignment compares. Folding makes equal what a faithful copy may
change without changing a word: case, quote-mark and apostrophe style, punctuation,
hyphenation ("co-operate"), British and American spelling ("labour", "organise", "centre"),
contractions ("don't" = "do not") and number words ("ten" = "10", "per cent" = "%").

The match form folds further, for finding an indirect statement and the direct quote made of
it: tense backshift ("would" = "will") and pronoun person ("she" = "I", "their" = "our").

Marks the classifier needs: whether a word is a name (capitalised and not the first word of a
sentence), which sentence of the quote it is in, and whether an ellipsis ("...", "…", "[...]")
or an editorial insertion in square brackets stood just before it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Final, Literal

Gap = Literal["", "ellipsis", "editorial"]
# Written words repeat across quotes: folding each spelling once is most of the tokenising time.
FOLD_CACHE: Final = 65_536
# A first report is compared with each of its relays, often within one batch.
WORDS_CACHE: Final = 4_096

_QUOTE_FOLD: Final = str.maketrans(
    {
        "“": '"',
        "”": '"',
        "„": '"',
        "«": '"',
        "»": '"',
        "‘": "'",
        "’": "'",
        "‚": "'",
        "`": "'",
        "´": "'",
        "‐": "-",
        "‑": "-",
    }
)
# Words, numbers (with decimal points and thousands separators), ellipses and bracketed
# editorial insertions, in the order they occur.
_PIECE: Final = re.compile(
    r"(?P<bracket>\[[^\]]*\])"
    r"|(?P<ellipsis>\.\s?\.\s?\.|…)"
    r"|(?P<number>\d+(?:[.,]\d+)*%?)"
    r"|(?P<word>[^\W\d_]+(?:['\-][^\W\d_]+)*)"
    r"|(?P<stop>[.!?;]+)"
)
_BRACKET_ELLIPSIS: Final = re.compile(r"^\[\s*(?:\.\s?\.\s?\.|…)\s*\]$")

CONTRACTIONS: Final[dict[str, tuple[str, ...]]] = {
    "can't": ("can", "not"),
    "cannot": ("can", "not"),
    "won't": ("will", "not"),
    "shan't": ("shall", "not"),
    "i'm": ("i", "am"),
    "let's": ("let", "us"),
}
_SUFFIXES: Final = {"n't": ("not",), "'re": ("are",), "'ve": ("have",), "'ll": ("will",)}
_SUFFIXES_D: Final = {"'d": ("would",)}
NUMBER_WORDS: Final[dict[str, str]] = {
    "zero": "0",
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
    "ten": "10",
    "eleven": "11",
    "twelve": "12",
    "fifteen": "15",
    "twenty": "20",
    "thirty": "30",
    "forty": "40",
    "fifty": "50",
    "hundred": "100",
    "thousand": "1000",
    "million": "1000000",
    "billion": "1000000000",
}
# Whole-word spellings that rules below would not reach.
SPELLINGS: Final[dict[str, str]] = {
    "programme": "program",
    "programmes": "programs",
    "grey": "gray",
    "cheque": "check",
    "tyre": "tire",
    "tyres": "tires",
    "kerb": "curb",
    "defence": "defense",
    "offence": "offense",
    "licence": "license",
    "practise": "practice",
    "judgement": "judgment",
    "ageing": "aging",
    "travelled": "traveled",
    "travelling": "traveling",
    "cancelled": "canceled",
    "cancelling": "canceling",
    "modelling": "modeling",
    "labelled": "labeled",
    "fuelled": "fueled",
    "enrol": "enroll",
    "fulfil": "fulfill",
    "percent": "%",
}
# -our -> -or only where the American form is a word ("labour", "favour"), not "four", "hour".
_OUR_STEMS: Final = frozenset(
    {"labour", "favour", "honour", "colour", "behaviour", "neighbour", "harbour", "rumour"}
)
_OUR: Final = re.compile(r"^(?P<stem>\w+?our)(?P<tail>s|ed|ing|ite|ites|able)?$")
_ISE: Final = re.compile(r"^(?P<stem>\w{3,}?)(?:is|ys)(?P<tail>e|es|ed|ing|ation|ations)$")
_TRE: Final = re.compile(r"^(?P<stem>cent|met|theat|lit|fib)re(?P<tail>s?)$")
_ISE_KEEP: Final = frozenset(
    {"rise", "raise", "praise", "promise", "premise", "exercise", "advise", "revise",
     "devise", "surprise", "compromise", "enterprise", "otherwise", "precise", "concise",
     "wise", "noise", "poise", "expertise", "franchise", "merchandise", "supervise",
     "televise", "improvise", "disguise", "despise", "chastise", "arise", "comprise",
     "apprise", "incise", "circumcise", "excise", "treatise", "cruise", "bruise", "reprise",
     "analyse", "paralyse", "catalyse"}
)  # fmt: skip
_YSE: Final = {"analyse": "analyze", "paralyse": "paralyze", "catalyse": "catalyze"}

# Match form: tense and person as indirect speech shifts them.
BACKSHIFT: Final[dict[str, str]] = {
    "would": "will",
    "could": "can",
    "should": "shall",
    "might": "may",
    "was": "is",
    "were": "are",
    "am": "is",
    "had": "have",
    "has": "have",
    "did": "do",
    "does": "do",
    "i": "p1",
    "he": "p1",
    "she": "p1",
    "we": "p2",
    "they": "p2",
    "me": "o1",
    "him": "o1",
    "us": "o2",
    "them": "o2",
    "my": "g1",
    "his": "g1",
    "her": "g1",
    "our": "g2",
    "their": "g2",
    "mine": "g1",
    "ours": "g2",
    "theirs": "g2",
    "myself": "r1",
    "himself": "r1",
    "herself": "r1",
    "ourselves": "r2",
    "themselves": "r2",
    "this": "that",
    "these": "those",
    "here": "there",
    "now": "then",
}


@dataclass(frozen=True, slots=True)
class Word:
    """One word of a quote.

    ``surface`` is as written; ``folded`` is what alignment compares (one written word can
    fold to two, "won't" to "will" and "not", each a ``Word`` with the same surface).
    ``gap`` says what stood just before the word: an ellipsis or a bracketed insertion.
    """

    surface: str
    folded: str
    is_name: bool
    sentence: int
    gap: Gap = ""


def _spelling(word: str) -> str:
    if word in SPELLINGS:
        return SPELLINGS[word]
    if word in _YSE:
        return _YSE[word]
    if (match := _OUR.match(word)) and match["stem"] in _OUR_STEMS:
        return match["stem"][:-2] + "r" + (match["tail"] or "")
    if (match := _TRE.match(word)) is not None:
        return match["stem"] + "er" + match["tail"]
    if (match := _ISE.match(word)) is not None and word not in _ISE_KEEP:
        base = match["stem"] + "is" + "e"
        if base not in _ISE_KEEP:
            return match["stem"] + "iz" + match["tail"]
    return word


@lru_cache(maxsize=FOLD_CACHE)
def fold_word(surface: str) -> tuple[str, ...]:
    """The folded form(s) of one written word: lower case, one spelling, no hyphen."""
    word = surface.translate(_QUOTE_FOLD).casefold()
    if word in CONTRACTIONS:
        return CONTRACTIONS[word]
    for suffix, tail in (*_SUFFIXES.items(), *_SUFFIXES_D.items()):
        if word.endswith(suffix) and len(word) > len(suffix):
            head = word[: -len(suffix)]
            return (*fold_word(head), *tail)
    word = word.removesuffix("'s").replace("-", "").replace("'", "")
    if word in NUMBER_WORDS:
        return (NUMBER_WORDS[word],)
    if word and word[0].isdigit():
        number = word.rstrip("%").replace(",", "")
        return (number, "%") if word.endswith("%") else (number,)
    return (_spelling(word),)


_WORDS_ONLY: Final = re.compile(r"\d+(?:[.,]\d+)*%?|[^\W\d_]+(?:['\-][^\W\d_]+)*")


def folded_words(text: str) -> list[str]:
    """The folded words of a text, without the marks ``words`` keeps: the fast form used to
    find candidates ("per cent" folds to "%" here too)."""
    found: list[str] = []
    for surface in _WORDS_ONLY.findall(text.translate(_QUOTE_FOLD)):
        if surface.casefold() == "cent" and found and found[-1] == "per":
            found[-1] = "%"
            continue
        found.extend(fold_word(surface))
    return found


def match_form(folded: str) -> str:
    """A folded word as tense and person shift in indirect speech: "would" -> "will"."""
    return BACKSHIFT.get(folded, folded)


@lru_cache(maxsize=WORDS_CACHE)
def words(text: str) -> tuple[Word, ...]:
    """The words of a quote in order, folded and marked (see the module docstring).

    Args:
        text: A quote as written, with any quote marks, ellipses and brackets.

    Returns:
        The words; an ellipsis or bracketed insertion is not a word but marks the next one
        (or, at the end, nothing: see ``trailing_gap``).
    """
    found: list[Word] = []
    sentence = 0
    is_sentence_start = True
    gap: Gap = ""
    for piece in _PIECE.finditer(text.translate(_QUOTE_FOLD)):
        if piece["bracket"] is not None:
            gap = "ellipsis" if _BRACKET_ELLIPSIS.match(piece["bracket"]) else "editorial"
            continue
        if piece["ellipsis"] is not None:
            gap = "ellipsis"
            continue
        if piece["stop"] is not None:
            if not is_sentence_start:
                sentence += 1
            is_sentence_start = True
            continue
        surface = piece["number"] or piece["word"] or ""
        folded = fold_word(surface)
        if surface.casefold() == "cent" and found and found[-1].folded == "per":
            # "per cent" is one word, "%"
            found[-1] = Word(found[-1].surface + " " + surface, "%", False, sentence, found[-1].gap)
            continue
        is_name = surface[0].isupper() and not is_sentence_start and surface != "I"
        for index, form in enumerate(folded):
            found.append(Word(surface, form, is_name, sentence, gap if index == 0 else ""))
        gap = ""
        is_sentence_start = False
    return tuple(found)


def trailing_gap(text: str) -> Gap:
    """What ends a quote after its last word: an ellipsis, a bracketed insertion, or nothing."""
    gap: Gap = ""
    for piece in _PIECE.finditer(text.translate(_QUOTE_FOLD)):
        if piece["bracket"] is not None:
            gap = "ellipsis" if _BRACKET_ELLIPSIS.match(piece["bracket"]) else "editorial"
        elif piece["ellipsis"] is not None:
            gap = "ellipsis"
        elif piece["stop"] is None:
            gap = ""
    return gap


def leading_gap(text: str) -> Gap:
    """What opens a quote before its first word: an ellipsis ("...the plan"), or nothing."""
    first = words(text)
    return first[0].gap if first else ""
