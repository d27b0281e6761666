"""Token features for the attribution tagger.

Input: a parsed spaCy ``Doc`` and the cue lexicon. Output: ``Sequences`` (token indices per
tagging unit, a paragraph or a slice of a long one) with one feature list per token.

Features are plain strings for crfsuite: word and lemma, tag, dependency and head, entity type,
quotation flags, the cue-lexicon probability of the token and of its head, the dependency relation
that links the token to the nearest cue-like ancestor, the distance and direction to the nearest
cue-like token of the paragraph, and a +-2 token window. Everything is one pass over the tokens.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from spacy.attrs import (
    DEP,
    ENT_IOB,
    ENT_TYPE,
    HEAD,
    IDX,
    IS_ALPHA,
    IS_SPACE,
    LEMMA,
    LENGTH,
    LIKE_NUM,
    LOWER,
    ORTH,
    SENT_START,
    TAG,
)
from spacy.tokens import Doc

from onrecord.extract._quotes import QuoteSpan, find_quotes, inside_mask

# Paragraphs longer than this are tagged in sentence-aligned slices: crfsuite cost is linear,
# but very long units (texts with no line breaks) gain nothing from the extra context.
MAX_UNIT_TOKENS = 260
# Lexicon probability above which a token counts as a cue candidate for the structural features.
CUE_CANDIDATE_P = 0.12
_MAX_ANCESTOR_STEPS = 10
TITLE_MAX_TOKENS = 30
SENTENCE_END = frozenset({".", "?", "!", ":", '"', "”", "’", "'", "»", ")", "…"})


@dataclass(frozen=True, slots=True)
class Sequences:
    """Tagging units of one doc: token indices and their feature lists, plus the quote spans.

    ``cue_p`` holds, per token, the cue-lexicon probability of its lemma (0 for a lemma the
    lexicon lacks, and everywhere when the doc was read without a lexicon).
    """

    units: list[list[int]]
    features: list[list[list[str]]]
    quotes: list[QuoteSpan]
    paragraph_of: list[int]
    in_quote: list[bool]
    starts: list[int]
    is_word: list[bool]
    in_heading: list[bool]
    cue_p: list[float]


def _bucket(p: float) -> str:
    if p <= 0.0:
        return "0"
    if p < 0.03:
        return "1"
    if p < 0.12:
        return "2"
    if p < 0.35:
        return "3"
    if p < 0.7:
        return "4"
    return "5"


def _distance(d: int) -> str:
    if d <= 3:
        return str(d)
    if d <= 6:
        return "4-6"
    if d <= 12:
        return "7-12"
    return "far"


def _shape(text: str) -> str:
    if text[:1].isupper():
        return "X" if text.isupper() and len(text) > 1 else "Xx"
    if text[:1].isdigit():
        return "d"
    if text[:1].isalpha():
        return "x"
    return "p"


def paragraph_units(
    orth: list[str], is_space: list[bool], sent_start: list[bool]
) -> tuple[list[list[int]], list[int]]:
    """Split a doc into tagging units at line breaks, slicing long paragraphs at sentences.

    Returns:
        The units (token indices, whitespace tokens left out) and the paragraph index per token.
    """
    paragraph_of = [0] * len(orth)
    paragraphs: list[list[int]] = [[]]
    for i, (text, space) in enumerate(zip(orth, is_space, strict=True)):
        if space and "\n" in text:
            paragraph_of[i] = len(paragraphs) - 1
            if paragraphs[-1]:
                paragraphs.append([])
            continue
        paragraph_of[i] = len(paragraphs) - 1
        if not space:
            paragraphs[-1].append(i)
    units: list[list[int]] = []
    for para in paragraphs:
        if not para:
            continue
        if len(para) <= MAX_UNIT_TOKENS:
            units.append(para)
            continue
        current: list[int] = []
        for i in para:
            if current and len(current) >= MAX_UNIT_TOKENS // 2 and sent_start[i]:
                units.append(current)
                current = []
            current.append(i)
            if len(current) >= MAX_UNIT_TOKENS * 2:
                units.append(current)
                current = []
        if current:
            units.append(current)
    return units, paragraph_of


def is_heading(orth: list[str], unit: list[int]) -> bool:
    """A short line that does not end like a sentence: a headline or subhead, not a statement."""
    return len(unit) < TITLE_MAX_TOKENS and orth[unit[-1]] not in SENTENCE_END


_ATTRS = [
    ORTH,
    LOWER,
    LEMMA,
    TAG,
    DEP,
    HEAD,
    ENT_IOB,
    ENT_TYPE,
    IDX,
    LENGTH,
    IS_SPACE,
    SENT_START,
    IS_ALPHA,
    LIKE_NUM,
]
_IOB = {1: "I", 2: "O", 3: "B"}


def doc_features(doc: Doc, cue_p: dict[str, float], *, has_features: bool = True) -> Sequences:
    """Compute tagging units and per-token features for ``doc``.

    Token attributes are read in bulk with ``Doc.to_array``: building ``Token`` objects one by
    one costs more than the features themselves.

    Args:
        doc: A doc parsed by the tagger, parser and NER.
        cue_p: Lemma -> probability that the lemma is (part of) a cue, learned from training data.
        has_features: Build the CRF feature lists; when false, ``features`` holds one empty list
            per unit and only the units, quotes and flags are computed (for other taggers).

    Returns:
        The units with their feature lists.
    """
    text = doc.text
    quotes = find_quotes(text)
    mask = inside_mask(text, quotes)
    opens = {q.start for q in quotes if q.depth == 0}
    closes = {q.end - 1 for q in quotes if q.depth == 0 and q.is_closed}
    n = len(doc)
    hashes = doc.to_array(_ATTRS)
    signed = hashes.astype("int64")
    strings = doc.vocab.strings
    lookup: dict[int, str] = {0: ""}

    def column(k: int) -> list[str]:
        out = []
        for h in hashes[:, k].tolist():
            value = lookup.get(h)
            if value is None:
                value = lookup[h] = strings[h]
            out.append(value)
        return out

    orth = column(0)
    lower = column(1)
    lemma = [x.lower() for x in column(2)]
    tag = column(3)
    dep = column(4)
    ent_type = column(7)
    rel_head = signed[:, 5].tolist()
    heads = [i + h for i, h in enumerate(rel_head)]
    iob = signed[:, 6].tolist()
    idx = signed[:, 8].tolist()
    length = signed[:, 9].tolist()
    sent_start = [v == 1 for v in signed[:, 11].tolist()]
    if n:
        sent_start[0] = True
    is_space = [v == 1 for v in signed[:, 10].tolist()]
    units, paragraph_of = paragraph_units(orth, is_space, sent_start)

    probs = [cue_p.get(lem, 0.0) for lem in lemma]
    is_cue = [p >= CUE_CANDIDATE_P and tg[:1] in "VNI" for p, tg in zip(probs, tag, strict=True)]
    in_q = [bool(mask[i]) if i < len(mask) else False for i in idx]
    if not has_features:
        in_heading = [False] * n
        for unit in units:
            if is_heading(orth, unit):
                for i in unit:
                    in_heading[i] = True
        empty: list[list[list[str]]] = [[] for _ in units]
        is_word = _is_word(signed)
        return Sequences(units, empty, quotes, paragraph_of, in_q, idx, is_word, in_heading, probs)
    qrole = [
        "open" if i in opens else "close" if i + ln - 1 in closes else "-"
        for i, ln in zip(idx, length, strict=True)
    ]

    # Relation to the nearest cue-like ancestor: the label of the child directly under it.
    link = ["-"] * n
    link_cue = ["lkc=-"] * n
    for i in range(n):
        if is_cue[i]:
            link[i] = "self"
            continue
        child, head, steps = i, heads[i], 0
        while head != child and steps < _MAX_ANCESTOR_STEPS:
            if is_cue[head]:
                link[i] = dep[child] + ("" if child == i else "*")
                link_cue[i] = "lkc=" + link[i] + "|" + lemma[head]
                break
            child, head, steps = head, heads[head], steps + 1

    sent_flags = [""] * n
    begin = 0
    for end in [*(i for i in range(1, n) if sent_start[i]), n]:
        has_cue = any(is_cue[begin:end])
        has_quote = any(in_q[begin:end])
        flag = "sc=" + ("1" if has_cue else "0") + ("1" if has_quote else "0")
        sent_flags[begin:end] = [flag] * (end - begin)
        begin = end

    # Per-token strings reused by the window features of the neighbours.
    w = ["w=" + x for x in lower]
    t_ = ["t=" + x for x in tag]
    q_ = ["q=1" if x else "q=0" for x in in_q]
    cp = ["cp=" + _bucket(p) for p in probs]
    lk = ["lk=" + x for x in link]
    qr = ["qr=" + x for x in qrole]
    own = [
        [
            "b",
            w[i],
            "l=" + lemma[i],
            t_[i],
            "d=" + dep[i],
            "dt=" + dep[i] + "|" + tag[heads[i]],
            "hl=" + lemma[heads[i]],
            "hd=" + dep[heads[i]],
            "ld=" + lemma[i] + "|" + dep[i],
            link_cue[i],
            "s=" + _shape(orth[i]),
            "e=" + (_IOB.get(iob[i], "O") + ent_type[i] if ent_type[i] else "O"),
            q_[i],
            qr[i],
            cp[i],
            "h" + cp[heads[i]],
            lk[i],
            sent_flags[i],
            "ss=1" if sent_start[i] else "ss=0",
        ]
        for i in range(n)
    ]

    features: list[list[list[str]]] = []
    first_para = paragraph_of[units[0][0]] if units else 0
    several = len(units) > 1
    in_heading = [False] * n
    for unit in units:
        cue_positions = [k for k, i in enumerate(unit) if is_cue[i]]
        if is_heading(orth, unit):
            kind = "head"
        elif several and paragraph_of[unit[0]] == first_para and len(unit) < TITLE_MAX_TOKENS:
            kind = "title"
        else:
            kind = "short" if len(unit) < 25 else "long"
        para_kind = "pk=" + kind
        if kind == "head":
            for i in unit:
                in_heading[i] = True
        size = len(unit)
        unit_feats: list[list[str]] = []
        c = 0
        for k, i in enumerate(unit):
            f = [*own[i], para_kind]
            if cue_positions:
                while c + 1 < len(cue_positions) and abs(cue_positions[c + 1] - k) < abs(
                    cue_positions[c] - k
                ):
                    c += 1
                nearest = cue_positions[c]
                side = "L" if nearest > k else "R" if nearest < k else "C"
                f.append("rel=" + side + _distance(abs(nearest - k)))
            else:
                f.append("rel=none")
            f.append("pos=first" if k == 0 else "pos=last" if k == size - 1 else "pos=mid")
            for off in (-2, -1, 1, 2):
                kk = k + off
                if 0 <= kk < size:
                    j = unit[kk]
                    pre = str(off)
                    f.append(pre + w[j])
                    f.append(pre + t_[j])
                    if off in (-1, 1):
                        f.append(pre + q_[j])
                        f.append(pre + cp[j])
                        f.append(pre + lk[j])
                        f.append(pre + qr[j])
                else:
                    f.append(f"{off}w=<pad>")
            if k > 0:
                f.append("bg=" + lower[unit[k - 1]] + "|" + lower[i])
            unit_feats.append(f)
        features.append(unit_feats)
    return Sequences(
        units, features, quotes, paragraph_of, in_q, idx, _is_word(signed), in_heading, probs
    )


def _is_word(signed: np.ndarray) -> list[bool]:
    """Per token, whether it is alphabetic or number-like (columns of ``_ATTRS``)."""
    return [
        a == 1 or b == 1
        for a, b in zip(signed[:, 12].tolist(), signed[:, 13].tolist(), strict=True)
    ]
