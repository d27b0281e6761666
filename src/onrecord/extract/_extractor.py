"""Attribution extraction: parsed ``Doc`` -> ``Attribution`` records.

Cascade, in order:

1. Quotation marks are paired over the raw text (``_quotes``).
2. A tagger marks every token as cue, source, content or outside: the linear-chain CRF
   (``_features``, ``attrib.crf.v1``) or the encoder tagger (``_encoder``, ``attrib.encoder.v1``).
3. Each content span is attached to the nearest cue of its paragraph; failing that, to a cue that
   ends the previous paragraph ("X said:"), failing that it stands without a cue.
4. Content spans sharing a cue merge into one attribution (the "A," she said, "B." pattern).
5. The source is the tagged source span nearest the cue in its sentence, else the subject of the
   cue in the parse, else (for quotations that continue a speaker) the previous source within
   the last few paragraphs, else ``None``.
6. The confidence is the calibration map (``_calibration``) applied to the attribution's raw
   features, the mean CRF marginal first; without a map (and for the encoder, whose
   probabilities the map was not fitted on), that raw mean tag probability.
"""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol, TypeAlias

import pycrfsuite
from spacy.tokens import Doc

from onrecord.errors import ExtractError
from onrecord.extract._calibration import Calibration, ConfidenceFeatures, load_calibration
from onrecord.extract._features import Sequences, doc_features
from onrecord.extract._labels import TokenSpan, decode
from onrecord.models import Attribution, QuoteKind, Span

EXTRACTOR_NAME = "attrib.crf.v1"
MODEL_FILE = "attrib_crf.crfsuite"
LEXICON_FILE = "cue_lexicon.json"
# A content span further than this many tokens from every cue of its paragraph gets no cue.
MAX_CUE_GAP = 30
# Paragraphs back that a speaker may carry over to a cue-less quotation.
SPEAKER_CARRY_PARAGRAPHS = 3
# Words that open a condition attached to reported speech.
CONDITION_OPENERS = (
    "but only if",
    "but only on condition",
    "only if",
    "provided",
    "as long as",
    "so long as",
    "on condition",
    "unless",
)
# A dateline opening the first body paragraph: "KESSAVAR, March 11 (Tidewire) - ".
DATELINE = re.compile(
    r"[A-Z][A-Z .'-]{2,}(?:,\s*[A-Z][a-z]{2,9}\.?\s+\d{1,2})?\s*(?:\([^)\n]{1,40}\))?"
    r"\s*[-\u2013\u2014]+\s+"
)
# Untagged words allowed between two content spans that still form one attribution.
MAX_BRIDGE_TOKENS = 3
_CLAUSE_DEPS = frozenset({"ccomp", "xcomp"})
_OBJECT_DEPS = frozenset({"dobj", "pobj"})
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "agent", "pobj"})
_MENTION_MAX_TOKENS = 8
# A tagger's output for one doc: the units, their tags, and per token the probability of its tag.
Tagged: TypeAlias = tuple[Sequences, list[list[str]], list[float]]


@dataclass(frozen=True, slots=True)
class AttributionModel:
    """The trained tagger with the cue lexicon it was trained with.

    With a ``calibration`` map, an attribution's confidence is the calibrated probability that
    it is right; without one, the raw mean CRF marginal of its content tokens.
    """

    tagger: pycrfsuite.Tagger
    cue_p: dict[str, float]
    calibration: Calibration | None = None
    name: str = EXTRACTOR_NAME

    def tag(self, doc: Doc) -> Tagged:
        """Tags per unit and the marginal of each token's tag (see ``tag_doc``)."""
        return tag_doc(doc, self)


class TokenTagger(Protocol):
    """What the cascade needs from a tagger: units with tags and per-token probabilities.

    A tagger may also offer ``tag_many(docs) -> list[Tagged]`` to tag several docs in one call;
    ``Extractor.tag_many`` falls back to ``tag`` per doc.
    """

    @property
    def name(self) -> str:
        """The registry name written into every attribution it finds."""
        ...

    @property
    def calibration(self) -> Calibration | None:
        """The confidence map fitted on this tagger's output, if any."""
        ...

    def tag(self, doc: Doc) -> Tagged:
        """The units of ``doc``, their tags, and per token the probability of its tag."""
        ...


def load_model(model_dir: Path, *, is_calibrated: bool = True) -> AttributionModel:
    """Load the tagger, cue lexicon and (if present) calibration map from ``model_dir``.

    Args:
        model_dir: Folder holding the model files.
        is_calibrated: Apply the folder's ``calibration.json``; when false, or when the folder
            has none, confidences are the raw mean marginals.

    Raises:
        ExtractError: A model file is missing or unreadable.
    """
    model_path, lexicon_path = require_files(
        model_dir, (MODEL_FILE, LEXICON_FILE), "attribution model", "make train"
    )
    tagger = pycrfsuite.Tagger()
    try:
        tagger.open(str(model_path))
        cue_p = {str(k): float(v) for k, v in json.loads(lexicon_path.read_text("utf-8")).items()}
    except (OSError, ValueError) as exc:
        raise ExtractError(
            f"[{ExtractError.code}] cannot read the attribution model in {model_dir}: {exc}; "
            "retrain it with `make train`."
        ) from exc
    calibration = load_calibration(model_dir) if is_calibrated else None
    return AttributionModel(tagger, cue_p, calibration)


def require_files(
    model_dir: Path, names: tuple[str, str], what: str, command: str
) -> tuple[Path, Path]:
    """The paths of a model's two files in ``model_dir``.

    Raises:
        ExtractError: One of them is missing; the message names the folder and ``command``.
    """
    first, second = (model_dir / name for name in names)
    if not first.is_file() or not second.is_file():
        raise ExtractError(
            f"[{ExtractError.code}] no {what} in {model_dir} "
            f"(need {names[0]} and {names[1]}); run `{command}` to build one."
        )
    return first, second


def tag_doc(doc: Doc, model: AttributionModel) -> Tagged:
    """Run the CRF over every unit of ``doc``.

    Returns:
        The units, their tags, and per token the marginal probability of its tag.
    """
    seqs = doc_features(doc, model.cue_p)
    tags: list[list[str]] = []
    prob = [1.0] * len(doc)
    tagger = model.tagger
    for unit, feats in zip(seqs.units, seqs.features, strict=True):
        unit_tags = tagger.tag(feats)
        tags.append(unit_tags)
        for k, (i, tag) in enumerate(zip(unit, unit_tags, strict=True)):
            if tag != "O":
                prob[i] = tagger.marginal(tag, k)
    return seqs, tags, prob


def _gap(a: TokenSpan, b: TokenSpan) -> int:
    if a.end <= b.start:
        return b.start - a.end
    if b.end <= a.start:
        return a.start - b.end
    return 0


def _trimmed(doc: Doc, span: TokenSpan) -> Span:
    """Character span of a cue or source without the punctuation around it ("said:" -> "said")."""
    start, end = span.start, span.end
    while start < end - 1 and doc[start].is_punct:
        start += 1
    while end - 1 > start and doc[end - 1].is_punct:
        end -= 1
    return _char_span(doc, start, end)


def _char_span(doc: Doc, start: int, end: int) -> Span:
    """Character span of tokens ``[start, end)``, without whitespace a token may carry ("\\r").

    Reads only the span's own text: ``Doc.text`` is rebuilt from every token on each access.
    """
    offset = doc[start].idx
    text = doc[start:end].text
    first, last = 0, len(text)
    while first < last - 1 and text[first].isspace():
        first += 1
    while last - 1 > first and text[last - 1].isspace():
        last -= 1
    return Span(offset + first, offset + last)


def _subject_of(doc: Doc, cue: TokenSpan) -> Span | None:
    """The parse subject of a cue ("officials said"), or the object of "according to"."""
    for i in range(cue.start, cue.end):
        token = doc[i]
        candidates = list(token.children)
        if token.dep_ in {"xcomp", "ccomp", "conj", "advcl"} and token.head.i < cue.start:
            candidates += [c for c in token.head.children if c.dep_ in {"nsubj", "nsubjpass"}]
        for child in candidates:
            if child.dep_ in _SUBJECT_DEPS and not (cue.start <= child.i < cue.end):
                if child.dep_ == "pobj" and token.lower_ not in {"to", "by"}:
                    continue
                left, right = child.left_edge.i, child.right_edge.i + 1
                if right - left > _MENTION_MAX_TOKENS:
                    left, right = child.i, child.i + 1
                    while (
                        left > 0
                        and doc[left - 1].head.i == child.i
                        and doc[left - 1].dep_ in {"compound", "det", "amod", "poss"}
                    ):
                        left -= 1
                return _char_span(doc, left, right)
    return None


def _with_condition(doc: Doc, end: int, cue: TokenSpan | None, source: Span | None) -> int:
    """Extend reported speech over a condition that follows it in the sentence.

    "X is ready to accept observers, but only if they report to the Concord, the minister
    said": the condition belongs to what was said. The content then runs to the cue or the
    source if they come later in the sentence, else to the sentence's end.
    """
    if end + 1 >= len(doc) or doc[end].text != ",":
        return end
    if not doc[end + 1 : end + 5].text.lower().startswith(CONDITION_OPENERS):
        return end
    limit = doc[end].sent.end
    after = [cue.start] if cue is not None else []
    if source is not None:
        span = doc.char_span(source.start, source.end, alignment_mode="expand")
        after += [span.start] if span is not None else []
    limit = min([limit, *(i for i in after if i > end)])
    while limit > end + 1 and (doc[limit - 1].is_punct or doc[limit - 1].is_space):
        limit -= 1
    return limit if limit > end + 2 else end


def _whole_quotation(quote_of: list[int], para: list[int], start: int, end: int) -> tuple[int, int]:
    """Widen a content that starts or ends inside a quotation to that quotation's marks.

    The tagger sometimes takes only the last sentences of a quotation ("... That is not
    defeat," the mediator said): the statement is the whole quotation, within its paragraph.
    """
    q = quote_of[start]
    while start > 0 and q >= 0 and quote_of[start - 1] == q and para[start - 1] == para[start]:
        start -= 1
    q = quote_of[end - 1]
    last = len(quote_of)
    while end < last and q >= 0 and quote_of[end] == q and para[end] == para[end - 1]:
        end += 1
    return start, end


def _past_title(doc: Doc, para: list[int], start: int, end: int) -> int:
    """Where a content that runs on from the title line into the body should start.

    A title without a full stop can parse as one sentence with the first body paragraph, and
    the tagger then takes the title (and the dateline after it) as part of the statement.
    Such content starts after the title line and after a dateline that opens the next line.
    """
    first = para[start]
    if first != para[0] or para[end - 1] == first:
        return start
    body = next(i for i in range(start, end) if para[i] != first)
    dateline = DATELINE.match(doc.text, doc[body].idx)
    if dateline is None:
        return body
    after = next((i for i in range(body, end) if doc[i].idx >= dateline.end()), body)
    return after if after < end else body


def _kind(seqs: Sequences, contents: list[TokenSpan]) -> QuoteKind:
    inside = outside = 0
    for span in contents:
        for i in range(span.start, span.end):
            if not seqs.is_word[i]:
                continue
            if seqs.in_quote[i]:
                inside += 1
            else:
                outside += 1
    if inside and not outside:
        return "direct"
    if inside:
        return "mixed"
    return "indirect"


def extract_attributions(doc: Doc, model: TokenTagger) -> list[Attribution]:
    """Find every attribution in a parsed doc.

    Args:
        doc: A doc parsed with tagger, parser, lemmatizer and NER.
        model: The loaded tagger: the CRF (with its lexicon and calibration map), the encoder.

    Returns:
        Attributions in text order; all offsets index ``doc.text``.
    """
    return [attribution for attribution, _ in scored_attributions(doc, model)]


def scored_attributions(
    doc: Doc, model: TokenTagger
) -> list[tuple[Attribution, ConfidenceFeatures]]:
    """Like ``extract_attributions``, with the raw features each confidence was computed from."""
    if len(doc) == 0:
        return []
    seqs, tags, prob = model.tag(doc)
    name, calibration = model.name, model.calibration
    spans = decode(seqs.units, tags)
    para = seqs.paragraph_of
    cues = [s for s in spans if s.role == "CUE"]
    sources = [s for s in spans if s.role == "SOURCE"]
    contents = [s for s in spans if s.role == "CONTENT" and _has_word(seqs, s)]

    quote_of = _quote_index(seqs)
    groups: dict[int, list[TokenSpan]] = {}
    group_of_quote: dict[int, int] = {}
    orphans: list[TokenSpan] = []
    for content in contents:
        if all(seqs.in_heading[content.start : content.end]):
            # Headlines and subheads are not statements.
            continue
        p = para[content.start]
        q = quote_of[content.start]
        if q >= 0 and q in group_of_quote:
            # A paragraph that continues a quotation opened in an earlier paragraph.
            groups[group_of_quote[q]].append(content)
            continue
        near = [(k, _gap(content, c)) for k, c in enumerate(cues) if para[c.start] == p]
        near = [(k, g) for k, g in near if g <= MAX_CUE_GAP]
        before = [k for k, c in enumerate(cues) if para[c.end - 1] == p - 1]
        if near:
            k = min(near, key=lambda kg: (kg[1], kg[0]))[0]
        elif before and _ends_paragraph(doc, cues[before[-1]]):
            k = before[-1]
        else:
            orphans.append(content)
            continue
        groups.setdefault(k, []).append(content)
        if q >= 0:
            group_of_quote.setdefault(q, k)
    still_orphans = []
    for content in orphans:
        q = quote_of[content.start]
        if q >= 0 and q in group_of_quote:
            groups[group_of_quote[q]].append(content)
        else:
            still_orphans.append(content)
    orphans = still_orphans

    role_of = [""] * len(doc)
    for span in spans:
        for i in range(span.start, span.end):
            role_of[i] = span.role
    drafts: list[tuple[list[TokenSpan], TokenSpan | None]] = []
    for k, members in groups.items():
        ordered = sorted(members, key=lambda m: m.start)
        for cluster in _bridged_clusters(doc, ordered, role_of, quote_of, para):
            drafts.append((cluster, cues[k]))
    drafts += [([content], None) for content in orphans]
    # A cue the tagger found without any content gets the clausal complement from the parse.
    covered = [bool(r) for r in role_of]
    for k, bare_cue in enumerate(cues):
        if k not in groups:
            parsed = _parse_content(doc, bare_cue, covered)
            if parsed is not None:
                drafts.append(([parsed], bare_cue))
    drafts.sort(key=lambda d: d[0][0].start)

    out: list[tuple[Attribution, ConfidenceFeatures]] = []
    last_source: tuple[Span, int] | None = None
    for members, cue in drafts:
        start = min(m.start for m in members)
        end = max(m.end for m in members)
        start, end = _whole_quotation(quote_of, para, start, end)
        kind = _kind(seqs, members)
        if kind == "indirect":
            start = _past_title(doc, para, start, end)
        source: Span | None = None
        if cue is not None:
            source = _tagged_source(doc, cue, sources, para, members)
            if source is None:
                source = _subject_of(doc, cue)
        if (
            source is None
            and kind != "indirect"
            and last_source is not None
            and para[start] - last_source[1] <= SPEAKER_CARRY_PARAGRAPHS
        ):
            source = last_source[0]
        if cue is None and source is None and kind == "indirect":
            continue
        if kind == "indirect":
            end = _with_condition(doc, end, cue, source)
        tokens = [i for m in members for i in range(m.start, m.end)]
        features = ConfidenceFeatures(
            mean_marginal=sum(prob[i] for i in tokens) / len(tokens),
            tagged_share=sum(role_of[i] == "CONTENT" for i in tokens) / len(tokens),
            kind=kind,
            has_cue=cue is not None,
            has_source=source is not None,
            n_tokens=len(tokens),
        )
        if source is not None:
            last_source = (source, para[start])
        attribution = Attribution(
            content=_char_span(doc, start, end),
            kind=kind,
            cue=_trimmed(doc, cue) if cue is not None else None,
            source=source,
            confidence=round(features.mean_marginal, 4),
            extractor=name,
        )
        if calibration is not None:
            confidence = calibration.probability(features)
            attribution = replace(attribution, confidence=round(confidence, 4))
        out.append((attribution, features))
    return out


def _parse_content(doc: Doc, cue: TokenSpan, covered: list[bool]) -> TokenSpan | None:
    """Content for a tagged cue the tagger gave none, from the parse.

    A complement clause of the cue verb ("told the paper [that ...]"), preferred over its object;
    for a cue that modifies the clause instead ("according to X, [...]") the rest of that clause.
    """
    tokens = [doc[i] for i in range(cue.start, cue.end)]
    for deps in (_CLAUSE_DEPS, _OBJECT_DEPS):
        for token in tokens:
            for child in token.children:
                if child.dep_ not in deps or cue.start <= child.i < cue.end:
                    continue
                span = _uncovered_prefix(doc, child.left_edge.i, child.right_edge.i + 1, covered)
                if span is not None:
                    return span
    first = tokens[0]
    head = first.head
    if first.dep_ in {"prep", "advcl", "advmod"} and not (cue.start <= head.i < cue.end):
        cue_left, cue_right = first.left_edge.i, first.right_edge.i + 1
        left, right = head.left_edge.i, head.right_edge.i + 1
        if cue_right <= head.i:
            left = cue_right
        elif cue_left > head.i:
            right = cue_left
        while left < right and (doc[left].is_punct or doc[left].is_space):
            left += 1
        while right > left and (doc[right - 1].is_punct or doc[right - 1].is_space):
            right -= 1
        if right - left >= 2 and not any(covered[left:right]):
            return TokenSpan("CONTENT", left, right)
    return None


def _uncovered_prefix(doc: Doc, left: int, right: int, covered: list[bool]) -> TokenSpan | None:
    """Tokens ``[left, right)`` up to the first one already tagged, without loose ends."""
    if covered[left]:
        return None
    end = left
    while end < right and not covered[end]:
        end += 1
    while end > left and (doc[end - 1].is_punct or doc[end - 1].dep_ in {"mark", "cc"}):
        end -= 1
    return TokenSpan("CONTENT", left, end) if end - left >= 2 else None


def _bridged_clusters(
    doc: Doc,
    members: list[TokenSpan],
    role_of: list[str],
    quote_of: list[int],
    para: list[int],
) -> list[list[TokenSpan]]:
    """Split content spans of one cue into attributions.

    "A," she said, "B." is one attribution, and so is a quotation running over paragraphs; two
    spans with a clause between them are two.
    """
    clusters = [[members[0]]]
    for prev, cur in itertools.pairwise(members):
        between = range(prev.end, cur.start)
        others = sum(
            1
            for i in between
            if role_of[i] not in {"CUE", "SOURCE"} and not doc[i].is_punct and not doc[i].is_space
        )
        has_cue = any(role_of[i] in {"CUE", "SOURCE"} for i in between)
        same_quote = quote_of[prev.end - 1] >= 0 and quote_of[prev.end - 1] == quote_of[cur.start]
        joined = (
            others <= MAX_BRIDGE_TOKENS
            or (has_cue and others <= 2 * MAX_BRIDGE_TOKENS)
            or (same_quote and para[prev.start] != para[cur.start])
        )
        if joined:
            clusters[-1].append(cur)
        else:
            clusters.append([cur])
    return clusters


def _quote_index(seqs: Sequences) -> list[int]:
    """Per token, the index in ``seqs.quotes`` of the depth-0 quotation holding it, else -1."""
    out = [-1] * len(seqs.starts)
    k = 0
    quotes = seqs.quotes
    for i, start in enumerate(seqs.starts):
        while k < len(quotes) and (quotes[k].depth != 0 or quotes[k].end <= start):
            k += 1
        if k < len(quotes) and quotes[k].start <= start:
            out[i] = k
    return out


def _has_word(seqs: Sequences, span: TokenSpan) -> bool:
    return any(seqs.is_word[span.start : span.end])


def _ends_paragraph(doc: Doc, cue: TokenSpan) -> bool:
    """True when nothing but punctuation follows the cue up to the line break ("X said:")."""
    i = cue.end
    while i < len(doc) and not (doc[i].is_space and "\n" in doc[i].text):
        if not doc[i].is_punct:
            return False
        i += 1
    return True


def _tagged_source(
    doc: Doc,
    cue: TokenSpan,
    sources: list[TokenSpan],
    para: list[int],
    members: list[TokenSpan],
) -> Span | None:
    """The tagged source for a cue: its parse subject if tagged, else the nearest in its sentence.

    Sources inside the attribution's own content belong to an attribution reported within it
    ("Ross said Obama had told ..."), so they are taken only when nothing else is at hand.
    """
    sent = doc[cue.start].sent
    same_sent = [s for s in sources if sent.start <= s.start < sent.end]
    pool = same_sent or [
        s for s in sources if para[s.start] == para[cue.start] and _gap(s, cue) <= 12
    ]
    if not pool:
        return None
    cue_tokens = set(range(cue.start, cue.end))

    def rank(s: TokenSpan) -> tuple[bool, bool, int, int]:
        inside = any(m.start <= s.start and s.end <= m.end for m in members)
        linked = any(
            doc[i].head.i in cue_tokens or doc[i].head.head.i in cue_tokens
            for i in range(s.start, s.end)
        )
        return (inside, not linked, _gap(s, cue), s.start)

    return _trimmed(doc, min(pool, key=rank))
