"""The parse's attribute rules and lemmas, set as spaCy's own components set them, in less time.

spaCy's ``attribute_ruler`` runs every one of its patterns (179 in ``en_core_web_sm``) through
the token ``Matcher`` at every token, and the rule ``lemmatizer`` caches only the words its rules
rewrite, so two thirds of the tokens go through the base-form test again. Both cost about as
much as the parser (docs/evaluation.md). ``with_fast_rules`` swaps in two components that give
the same annotations:

- ``FastAttributeRuler`` reads the patterns of the ruler it replaces. A token pattern that
  needs a tag, a lower-case form or a set of them is looked up by that value; the few others
  are tried at every token. The matches are the ruler's (same pattern, start and end, in the
  ruler's order: later patterns win), and each token gets the attributes of its matches in that
  order. A pattern of another shape (operators, other attributes) keeps the ruler as it is.
- ``FastLemmatizer`` keeps one lemma per (word, part of speech, morphology), the key spaCy's
  rule lemmatizer caches by, for base forms too: the lemma depends on nothing else.

Nothing is learned or changed: the annotations are those of the replaced components, which a
test compares on whole articles.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any, cast

import numpy as np
from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, MORPH, ORTH, POS, TAG
from spacy.language import Language
from spacy.pipeline import AttributeRuler, Lemmatizer
from spacy.strings import get_string_id
from spacy.tokens import Doc
from spacy.tokens._retokenize import set_token_attrs

# Token attributes a pattern may test, and their column in the array read from each doc.
_COLUMNS = {"TAG": 0, "LOWER": 1, "DEP": 2, "IS_SPACE": 3}
_ARRAY_ATTRS = [TAG, LOWER, DEP, IS_SPACE]
RULER_COMPONENT = "onrecord_attribute_rules"
LEMMATIZER_COMPONENT = "onrecord_rule_lemmas"

Row = tuple[int, int, int, int]
Check = Callable[[Row, Callable[[int], str]], bool]
# Per token row: the one-token patterns it matches, and the longer ones its first token starts.
_Hits = tuple[tuple[int, ...], tuple[tuple[int, list[Check]], ...]]
# Rows kept (the distinct tag, word, dependency and space combinations met); then started anew.
_MAX_CACHED = 200_000


class _Unsupported(ValueError):
    """A pattern this reader does not handle; the spaCy ruler stays."""


def _value_check(column: int, value: Any) -> tuple[Check, set[int] | None]:
    """A test of one attribute, and the values it accepts when it is a plain (set) lookup."""
    if isinstance(value, bool):
        wanted = int(value)
        return (lambda row, _s: row[column] == wanted), None
    if isinstance(value, str):
        key = get_string_id(value)
        return (lambda row, _s: row[column] == key), {key}
    if isinstance(value, dict) and len(value) == 1:
        ((op, arg),) = value.items()
        if op in ("IN", "NOT_IN") and isinstance(arg, list):
            keys = frozenset(get_string_id(v) for v in arg)
            if op == "IN":
                return (lambda row, _s: row[column] in keys), set(keys)
            return (lambda row, _s: row[column] not in keys), None
        if op == "REGEX" and isinstance(arg, str):
            pattern = re.compile(arg)
            return (lambda row, string: bool(pattern.search(string(row[column])))), None
    raise _Unsupported(f"value {value!r}")


def _token_check(spec: dict[str, Any]) -> tuple[Check, int | None, set[int] | None]:
    """One token spec -> its test, and the column and values an index can look it up by."""
    checks: list[Check] = []
    index_col: int | None = None
    index_keys: set[int] | None = None
    for attr, value in spec.items():
        column = _COLUMNS.get(attr.upper()) if isinstance(attr, str) else None
        if column is None:
            raise _Unsupported(f"attribute {attr!r}")
        check, keys = _value_check(column, value)
        checks.append(check)
        # Prefer the lower-case form as the index: it narrows the most.
        if keys is not None and (index_col is None or column == _COLUMNS["LOWER"]):
            index_col, index_keys = column, keys
    if not checks:
        raise _Unsupported("empty token spec")

    def test(row: Row, string: Callable[[int], str]) -> bool:
        return all(check(row, string) for check in checks)

    return test, index_col, index_keys


class FastAttributeRuler:
    """The matches and attributes of a spaCy ``AttributeRuler``, found by lookup."""

    def __init__(self, name: str) -> None:
        """An empty reader; ``adopt`` gives it a ruler's patterns."""
        self.name = name
        self.is_exact = False
        # Per pattern: (attribute id, match id, [token tests], token index, attributes).
        self._rules: list[tuple[int, int, list[Check], int, dict[Any, Any]]] = []
        # First-token lookups: column -> value -> [(rule, alternative's tests)], and the rest.
        self._index: dict[int, dict[int, list[tuple[int, list[Check]]]]] = {}
        self._always: list[tuple[int, list[Check]]] = []
        self._row_hits: dict[Row, _Hits] = {}
        self._merged_ids: dict[tuple[int, ...], dict[Any, Any]] = {}

    def adopt(self, ruler: AttributeRuler) -> None:
        """Read ``ruler``'s patterns; if one has a shape not handled here, run ``ruler``."""
        self.ruler = ruler
        self._strings = ruler.vocab.strings
        try:
            self._read(ruler)
        except _Unsupported:
            self._rules = []
            self.is_exact = False
        else:
            self.is_exact = True

    def _read(self, ruler: AttributeRuler) -> None:
        for attr_id, (attrs, index) in enumerate(zip(ruler.attrs, ruler.indices, strict=True)):
            match_id = self._strings[str(attr_id)]
            patterns = ruler.matcher.get(match_id)[1]
            self._rules.append((attr_id, match_id, [], index, attrs))
            for pattern in patterns:
                if not pattern:
                    raise _Unsupported("empty pattern")
                tests = []
                first_col: int | None = None
                first_keys: set[int] | None = None
                for k, spec in enumerate(pattern):
                    test, col, keys = _token_check(spec)
                    tests.append(test)
                    if k == 0:
                        first_col, first_keys = col, keys
                entry = (attr_id, tests)
                if first_col is None or first_keys is None:
                    self._always.append(entry)
                    continue
                by_value = self._index.setdefault(first_col, {})
                for key in first_keys:
                    by_value.setdefault(key, []).append(entry)

    def _hits(self, row: Row, string: Callable[[int], str]) -> _Hits:
        """The patterns whose first token ``row`` satisfies: the one-token ones' ids, and the
        longer ones. It depends on the row alone, so it is kept per row."""
        hits = self._row_hits.get(row)
        if hits is not None:
            return hits
        candidates = list(self._always)
        for column, by_value in self._index.items():
            candidates += by_value.get(row[column], ())
        singles: set[int] = set()
        longer: list[tuple[int, list[Check]]] = []
        for attr_id, tests in candidates:
            if tests[0](row, string):
                if len(tests) == 1:
                    singles.add(attr_id)
                else:
                    longer.append((attr_id, tests))
        hits = (tuple(sorted(singles)), tuple(longer))
        if len(self._row_hits) >= _MAX_CACHED:
            self._row_hits.clear()
        self._row_hits[row] = hits
        return hits

    def _matches(self, doc: Doc) -> tuple[list[tuple[int, ...]], list[tuple[int, int, int]]]:
        """Per token the one-token patterns it matches, and the longer patterns' matches
        ``(attribute id, start, end)``."""
        rows: list[Row] = [tuple(r) for r in doc.to_array(_ARRAY_ATTRS).tolist()]
        strings = doc.vocab.strings

        def string(key: int) -> str:
            return strings[key]

        singles: list[tuple[int, ...]] = []
        longer: set[tuple[int, int, int]] = set()
        n = len(rows)
        for i, row in enumerate(rows):
            ids, more = self._hits(row, string)
            singles.append(ids)
            for attr_id, tests in more:
                end = i + len(tests)
                if end <= n and all(tests[k](rows[i + k], string) for k in range(1, len(tests))):
                    longer.add((attr_id, i, end))
        return singles, sorted(longer)

    def match(self, doc: Doc) -> list[tuple[int, int, int, int]]:
        """The ruler's matches: ``(attribute id, match id, start, end)``, sorted as it sorts
        them (``AttributeRuler.match``)."""
        if not self.is_exact:
            return list(self.ruler.match(doc))
        singles, longer = self._matches(doc)
        found = [(a, i, i + 1) for i, ids in enumerate(singles) for a in ids] + longer
        rules = self._rules
        return sorted((a, rules[a][1], s, e) for a, s, e in found)

    def _merged(self, ids: tuple[int, ...]) -> dict[Any, Any]:
        """The attributes of these patterns (sorted ids) on one token, later over earlier."""
        merged = self._merged_ids.get(ids)
        if merged is None:
            merged = {}
            for attr_id in ids:
                merged.update(self._rules[attr_id][4])
            self._merged_ids[ids] = merged
        return merged

    def __call__(self, doc: Doc) -> Doc:
        """Set the ruler's attributes on ``doc``, later patterns over earlier ones."""
        if not self.is_exact:
            return self.ruler(doc)
        singles, longer = self._matches(doc)
        targets: dict[int, list[int]] = {}
        for attr_id, start, end in longer:
            index = self._rules[attr_id][3]
            target = start + index if index >= 0 else end + index
            if not start <= target < end:
                return self.ruler(doc)  # spaCy raises its own error for a bad index
            targets.setdefault(target, []).append(attr_id)
        for i, ids in enumerate(singles):
            extra = targets.get(i)
            if extra:
                ids = tuple(sorted((*ids, *extra)))
            if ids:
                set_token_attrs(doc[i], self._merged(ids))
        return doc

    def pipe(self, stream: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        """``__call__`` over a stream."""
        for doc in stream:
            yield self(doc)


class FastLemmatizer:
    """spaCy's rule lemmatizer with every lemma cached by word, part of speech and morphology."""

    def __init__(self, name: str) -> None:
        """An empty wrapper; ``adopt`` gives it the lemmatizer to run."""
        self.name = name
        self.is_exact = False
        self._cache: dict[tuple[int, int, int], int] = {}

    def adopt(self, lemmatizer: Lemmatizer) -> None:
        """Wrap ``lemmatizer``; a mode other than ``rule`` is run as it is."""
        self.lemmatizer = lemmatizer
        self.is_exact = lemmatizer.mode == "rule"

    def __call__(self, doc: Doc) -> Doc:
        """Set the lemma of every token that has none (or all, if the lemmatizer overwrites)."""
        if not self.is_exact or len(doc) == 0:
            return self.lemmatizer(doc)
        lemmatizer = self.lemmatizer
        strings = doc.vocab.strings
        cache = self._cache
        rows = doc.to_array([ORTH, POS, MORPH, LEMMA])
        lemmas = rows[:, 3].copy()
        overwrite = lemmatizer.overwrite
        for i, (orth, pos, morph, lemma) in enumerate(rows.tolist()):
            if lemma != 0 and not overwrite:
                continue
            key = (orth, pos, morph)
            found = cache.get(key)
            if found is None:
                # spaCy warns about a token without a part of speech; let it, uncached.
                found = strings.add(lemmatizer.lemmatize(doc[i])[0])
                if pos != 0:
                    cache[key] = found
            lemmas[i] = found
        doc.from_array([LEMMA], cast(Any, lemmas.reshape(-1, 1).astype(np.uint64)))
        return doc

    def pipe(self, stream: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        """``__call__`` over a stream."""
        for doc in stream:
            yield self(doc)


@Language.factory(RULER_COMPONENT)
def _make_ruler(nlp: Language, name: str) -> FastAttributeRuler:
    return FastAttributeRuler(name)


@Language.factory(LEMMATIZER_COMPONENT)
def _make_lemmatizer(nlp: Language, name: str) -> FastLemmatizer:
    return FastLemmatizer(name)


def with_fast_rules(nlp: Language) -> Language:
    """Run ``attribute_ruler`` and the rule ``lemmatizer`` (when present) through the faster
    readers, under the same names and at the same places in the pipeline."""
    for name in list(nlp.pipe_names):
        component = nlp.get_pipe(name)
        if isinstance(component, AttributeRuler):
            ruler = cast(FastAttributeRuler, nlp.replace_pipe(name, RULER_COMPONENT))
            ruler.adopt(component)
        elif isinstance(component, Lemmatizer) and component.mode == "rule":
            lemmas = cast(FastLemmatizer, nlp.replace_pipe(name, LEMMATIZER_COMPONENT))
            lemmas.adopt(component)
    return nlp
