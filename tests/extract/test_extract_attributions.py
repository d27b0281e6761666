"""Attribution extraction on small invented articles."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from onrecord.extract import EXTRACTOR_NAME, NLP_MODEL, Extractor
from onrecord.models import Attribution


def _run(extractor: Extractor, text: str) -> list[Attribution]:
    doc = extractor.nlp(text)
    found = extractor.attributions(doc)
    for a in found:
        _check_spans(text, a)
    return found


def _check_spans(text: str, a: Attribution) -> None:
    spans = [a.content] + [s for s in (a.cue, a.source) if s is not None]
    for span in spans:
        assert 0 <= span.start < span.end <= len(text)
        piece = text[span.start : span.end]
        assert piece == piece.strip()
    assert 0.0 <= a.confidence <= 1.0
    assert a.extractor == EXTRACTOR_NAME


def _content(text: str, a: Attribution) -> str:
    return text[a.content.start : a.content.end]


def _source(text: str, a: Attribution) -> str | None:
    return None if a.source is None else text[a.source.start : a.source.end]


def _cue(text: str, a: Attribution) -> str | None:
    return None if a.cue is None else text[a.cue.start : a.cue.end]


def _holding(text: str, found: list[Attribution], needle: str) -> Attribution:
    hits = [a for a in found if needle in _content(text, a)]
    assert hits, f"no attribution holds {needle!r}: {[_content(text, a) for a in found]}"
    return hits[0]


def _statement(extractor: Extractor, text: str, needle: str) -> Attribution:
    """Run extraction over ``text`` and return the statement whose content holds ``needle``."""
    return _holding(text, _run(extractor, text), needle)


def test_nlp_model_name(extractor: Extractor) -> None:
    assert extractor.nlp.meta["name"] in NLP_MODEL
    assert "ner" in extractor.nlp.pipe_names


@pytest.mark.parametrize(
    ("open_mark", "close_mark"),
    [('"', '"'), ("“", "”"), ("«", "»")],
)
def test_direct_quote_styles(extractor: Extractor, open_mark: str, close_mark: str) -> None:
    text = (
        "Kestrel Bay plans new sea wall.\n\n"
        f"Mara Velin, the mayor of Kestrel Bay, said: {open_mark}We will rebuild the harbour "
        f"before the winter storms arrive.{close_mark}\n"
    )
    a = _statement(extractor, text, "rebuild the harbour")
    assert a.kind == "direct"
    assert _cue(text, a) == "said"
    assert "Velin" in (_source(text, a) or "")


def test_single_quotes_direct(extractor: Extractor) -> None:
    text = (
        "Tomas Brell, who chairs the fisheries board, said: ‘The quotas are far too low for "
        "the small boats this year.’\n"
    )
    a = _statement(extractor, text, "quotas are far too low")
    assert a.kind == "direct"
    assert "Brell" in (_source(text, a) or "")


def test_indirect_speech(extractor: Extractor) -> None:
    text = (
        "The finance minister, Tomas Brell, said on Tuesday that the regional budget would be "
        "balanced by the end of next year.\n"
    )
    a = _statement(extractor, text, "budget would be balanced")
    assert a.kind == "indirect"
    assert "said" in (_cue(text, a) or "")
    assert "Brell" in (_source(text, a) or "")


def test_spans_leave_out_line_breaks_inside_quotations(extractor: Extractor) -> None:
    # A quotation running over paragraphs reopens each one without closing the last, so the
    # line break is inside the quotation; a statement that ends there must stop before it.
    text = (
        "Harbour talks resume\n\n"
        "Tomas Brell wrote in a letter to the union:\n\n"
        '"As I have said before, the levy will not rise this year.\n\n'
        '"Those are the questions the council must answer," the letter ends.\n'
    )
    statement = _statement(extractor, text, "levy will not rise")
    assert _content(text, statement).endswith("this year.")


def test_mixed_quote(extractor: Extractor) -> None:
    text = (
        "Mara Velin said the aim of the plan is to “put the harbour back to work” within a "
        "single year.\n"
    )
    a = _statement(extractor, text, "harbour back to work")
    assert a.kind == "mixed"
    assert "Velin" in (_source(text, a) or "")


def test_according_to(extractor: Extractor) -> None:
    text = (
        "According to Ilse Marrow, the chief engineer, the old bridge will close for repairs "
        "in March.\n"
    )
    a = _statement(extractor, text, "bridge will close")
    assert (_cue(text, a) or "").lower().startswith("according")
    assert "Marrow" in (_source(text, a) or "")


def test_cue_after_quote(extractor: Extractor) -> None:
    text = (
        "The ferry service resumed on Friday after a long strike.\n\n"
        "“The ferries will run every hour again from next week,” Mara Velin added.\n"
    )
    a = _statement(extractor, text, "ferries will run")
    assert a.kind == "direct"
    assert _cue(text, a) == "added"
    assert "Velin" in (_source(text, a) or "")


def test_split_quote_is_one_attribution(extractor: Extractor) -> None:
    text = (
        "“We are not leaving,” Ansel Prow said, “because this valley has fed our families "
        "for two hundred years.”\n"
    )
    a = _statement(extractor, text, "not leaving")
    assert "two hundred years" in _content(text, a)
    assert "Prow" in (_source(text, a) or "")


def test_multi_paragraph_quote(extractor: Extractor) -> None:
    text = (
        "Ansel Prow, the head of the farmers' union, said:\n\n"
        "“We have asked for a meeting three times and nobody has answered.\n\n"
        "“Our members are losing patience with the ministry.\n\n"
        "“If nothing changes by spring, we will block the valley road.”\n\n"
        "The ministry did not comment.\n"
    )
    found = _run(extractor, text)
    first = _holding(text, found, "asked for a meeting")
    last = _holding(text, found, "block the valley road")
    assert first == last
    assert "Prow" in (_source(text, first) or "")
    assert first.kind == "direct"


def test_nested_quote(extractor: Extractor) -> None:
    text = (
        "“The minister told us ‘the money is coming’ and then nothing happened for a year,” "
        "said Ilse Marrow, the school director.\n"
    )
    a = _statement(extractor, text, "nothing happened")
    assert "the money is coming" in _content(text, a)
    assert a.kind == "direct"
    assert "Marrow" in (_source(text, a) or "")


def test_source_in_previous_paragraph(extractor: Extractor) -> None:
    text = (
        "Harbour repairs delayed again\n\n"
        "Mara Velin said on Monday that the repairs would be delayed by another month.\n\n"
        "“We have waited long enough for this money. The town deserves better than more "
        "promises.”\n"
    )
    a = _statement(extractor, text, "waited long enough")
    assert a.kind == "direct"
    assert a.source is not None
    assert "Velin" in text[a.source.start : a.source.end]


def test_told_outlet_as_noted_by_agency(extractor: Extractor) -> None:
    text = (
        "Tomas Brell told the Coastal Herald that the fishing fleet would shrink by half, "
        "as noted by the Northwind news agency.\n"
    )
    a = _statement(extractor, text, "fleet would shrink")
    assert "Brell" in (_source(text, a) or "")


def test_headline_is_not_a_statement(extractor: Extractor) -> None:
    text = (
        "Mayor Velin Promises New Harbour\n\n"
        "Mara Velin said the harbour would be finished by summer.\n"
    )
    found = _run(extractor, text)
    assert all(a.content.start >= text.index("Mara") for a in found)


@pytest.mark.parametrize(
    ("text", "condition"),
    [
        (
            "Kroll: Veldora could accept unarmed observers under strict conditions\n\n"
            "Veldora is ready to accept unarmed international observers at the Kessel Dam, but "
            "only if they report to the Lowland Concord and only for the first two years of an "
            "agreement, Deputy Foreign Minister Ana Kroll said in an interview.",
            "and only for the first two years of an agreement",
        ),
        (
            "Port director Elin Maas said the ferries would keep running, as long as the strike "
            "does not spread to the pilots.",
            "as long as the strike does not spread to the pilots",
        ),
    ],
)
def test_reported_speech_keeps_its_condition(
    extractor: Extractor, text: str, condition: str
) -> None:
    statement = _statement(extractor, text, condition)
    assert _content(text, statement).endswith(condition)


def test_a_statement_is_the_whole_quotation_it_ends(extractor: Extractor) -> None:
    text = (
        "Chief mediator Vera Lind said the question would go to a working group.\n"
        '"We have moved the hardest question from the big table to a smaller one. That is not '
        'defeat, that is how these things are done," the mediator said.\n'
    )
    statement = _statement(extractor, text, "That is not defeat")
    assert _content(text, statement).startswith('"We have moved')
    assert _content(text, statement).endswith('done,"')


@pytest.mark.parametrize(
    "title",
    [
        "Veldora rejects foreign monitors ahead of second round of Tamsa talks",
        "Veldora rejects foreign monitors ahead of talks",
    ],
)
def test_a_title_and_dateline_stay_out_of_the_statement(extractor: Extractor, title: str) -> None:
    text = (
        f"{title}\nKESSAVAR, March 11 (Tidewire) - Veldora has ruled out foreign monitors on its "
        "stretch of the Tamsa river, Deputy Foreign Minister Ana Kroll told the Corvel Courier, "
        "setting up a difficult second round of talks.\n"
    )
    statement = _statement(extractor, text, "ruled out foreign monitors")
    assert _content(text, statement).startswith("Veldora has ruled out")


@pytest.mark.parametrize(
    "text",
    [
        'She said "this never closes.\n\nAnother paragraph without any marks.',
        "“”“”“\n\n”",
        "said said said: according to",
        "'' ‘ ’ « » \" \"",
        "",
        "\n\n\n",
    ],
)
def test_unbalanced_and_odd_input(extractor: Extractor, text: str) -> None:
    _run(extractor, text)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.one_of(
            st.text(max_size=40),
            st.sampled_from(['"', "“", "”", "‘", "’", "'", "«", "»", "\n\n", " said ", ":"]),
        ),
        max_size=20,
    ).map("".join)
)
def test_spans_stay_inside_text(extractor: Extractor, text: str) -> None:
    _run(extractor, text)
