"""The faster attribute ruler and lemmatizer set exactly what spaCy's own components set."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import spacy
from spacy.attrs import DEP, HEAD, LEMMA, MORPH, POS, TAG
from spacy.language import Language
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc

from onrecord.extract import NLP_MODEL
from onrecord.extract._rules import FastAttributeRuler, FastLemmatizer, with_fast_rules

ARTICLES = Path(__file__).resolve().parents[2] / "eval" / "speakers" / "articles"
# Words and spacing that the ruler's rarer patterns are written for: contractions, "gonna",
# "y'all", "there is", pronouns as subject and object, auxiliaries, runs of spaces.
ODD_TEXT = (
    "\"We ain't gonna stop,\" she said.  Y'all gotta see it, let's go, c'mon.\n\n"
    "There is nothing doin' here, and there were 'em all, ol' Pete said; he'd known.\n"
    "I can't and I won't, you shouldn't, it wasn't, I'm sure they'll come.  \n"
    "Somebody gets it, everybody got it. Has she been there? Being there had helped him.\n"
    "That is what I gave you, and that one is hers; those were mine, but whether or not\t "
    "it rains, I'll do it myself. 'Nuff said, nothin' more. Do they have it? They do."
)
ATTRS = [TAG, POS, MORPH, LEMMA, DEP, HEAD]


@pytest.fixture(scope="module")
def stock() -> Language:
    return spacy.load(NLP_MODEL)


@pytest.fixture(scope="module")
def fast() -> Language:
    return with_fast_rules(spacy.load(NLP_MODEL))


def _texts() -> list[str]:
    own = sorted(ARTICLES.glob("*.txt"))[::6]
    return [ODD_TEXT, *(path.read_text("utf-8") for path in own)]


def _annotations(doc: Doc) -> tuple[np.ndarray, list[str], list[str]]:
    return doc.to_array(ATTRS), [t.lemma_ for t in doc], [str(t.morph) for t in doc]


def test_the_fast_components_replace_the_stock_ones_in_place(fast: Language) -> None:
    assert fast.pipe_names == spacy.load(NLP_MODEL).pipe_names
    ruler, lemmas = fast.get_pipe("attribute_ruler"), fast.get_pipe("lemmatizer")
    assert isinstance(ruler, FastAttributeRuler)
    assert isinstance(lemmas, FastLemmatizer)
    assert ruler.is_exact
    assert lemmas.is_exact


def test_the_ruler_finds_the_stock_matches(stock: Language, fast: Language) -> None:
    ruler = stock.get_pipe("attribute_ruler")
    reader = fast.get_pipe("attribute_ruler")
    assert isinstance(ruler, AttributeRuler)
    assert isinstance(reader, FastAttributeRuler)
    for text in _texts():
        with stock.select_pipes(disable=["attribute_ruler", "lemmatizer", "ner"]):
            doc = stock(text)
        expected = ruler.match(doc)
        assert reader.match(doc) == expected
        assert len(expected) >= len(doc)  # every token matches at least its tag's pattern


def test_the_parse_is_the_stock_parse(stock: Language, fast: Language) -> None:
    texts = _texts()
    # Twice over, so that the second pass reads the rows and lemmas kept from the first.
    for _ in range(2):
        for ours, theirs in zip(fast.pipe(texts), stock.pipe(texts), strict=True):
            got, want = _annotations(ours), _annotations(theirs)
            assert np.array_equal(got[0], want[0])
            assert got[1:] == want[1:]
            assert [(e.text, e.label_) for e in ours.ents] == [
                (e.text, e.label_) for e in theirs.ents
            ]


def test_the_odd_words_get_the_ruler_s_lemmas(fast: Language) -> None:
    doc = fast(ODD_TEXT)
    lemmas = {t.lower_: t.lemma_ for t in doc}
    assert lemmas["ai"] == "be"
    assert lemmas["gon"] == "go"
    assert lemmas["wo"] == "will"
    assert lemmas["'em"] == "them"
    spaces = [t for t in doc if t.is_space]
    assert spaces
    assert all(t.tag_ == "_SP" and t.pos_ == "SPACE" for t in spaces)


def test_a_pattern_of_another_shape_keeps_the_stock_ruler(stock: Language) -> None:
    nlp = spacy.load(NLP_MODEL)
    stock_ruler = nlp.get_pipe("attribute_ruler")
    assert isinstance(stock_ruler, AttributeRuler)
    stock_ruler.add([[{"LOWER": "very"}, {"TAG": "JJ", "OP": "+"}]], {"LEMMA": "VERY"})
    with_fast_rules(nlp)
    reader = nlp.get_pipe("attribute_ruler")
    assert isinstance(reader, FastAttributeRuler)
    assert not reader.is_exact
    doc = nlp("The report was very long.")
    assert [t.lemma_ for t in doc][3] == "VERY"
    want = stock("The report was very long.")
    assert [t.pos_ for t in doc] == [t.pos_ for t in want]
