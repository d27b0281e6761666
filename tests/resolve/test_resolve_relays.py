"""Relay chains (``Quote.via``) and the rule that outlets never speak for those they quote."""

from __future__ import annotations

from dataclasses import replace

import pytest
from resolve_helpers import Resolve, Said, attribution
from spacy.language import Language

from onrecord.models import Article, Span
from onrecord.resolve import is_outlet_name, resolve_quotes


@pytest.mark.parametrize(
    ("text", "said", "via"),
    [
        (
            "Vera Lind told the newspaper Morning Ledger, as noted by agency Tidewire, that the "
            "border would stay open.",
            Said("the border would stay open", "Vera Lind", "told"),
            ("Morning Ledger", "Tidewire"),
        ),
        (
            "Vera Lind stressed the point, stating to the Veldoran daily Kestrel, as reported by "
            "Tidewire, that the border would stay open.",
            Said("the border would stay open", "Vera Lind", "stating"),
            ("Kestrel", "Tidewire"),
        ),
        (
            "Vera Lind said in an interview with Radio Corvel that the border would stay open.",
            Said("the border would stay open", "Vera Lind", "said"),
            ("Radio Corvel",),
        ),
        (
            "“The border will stay open,” Vera Lind told Channel 9.",
            Said("“The border will stay open,”", "Vera Lind", "told", kind="direct"),
            ("Channel 9",),
        ),
        (
            "According to the Harbour Gazette, Vera Lind said the border would stay open.",
            Said("the border would stay open", "Vera Lind", "said"),
            ("Harbour Gazette",),
        ),
        (
            "Vera Lind was quoted by Tidewire as saying the border would stay open.",
            Said("the border would stay open", "Vera Lind", "quoted"),
            ("Tidewire",),
        ),
        (
            "Vera Lind said the border would stay open, the state broadcaster VTN reported.",
            Said("the border would stay open", "Vera Lind", "said"),
            ("VTN",),
        ),
        (
            "Vera Lind reportedly said the border would stay open.",
            Said("the border would stay open", "Vera Lind", "said"),
            (),
        ),
        (
            "Vera Lind told reporters in Corvel that the border would stay open.",
            Said("the border would stay open", "Vera Lind", "told"),
            (),
        ),
        (
            "Vera Lind told Tomas Brek that the border would stay open.",
            Said("the border would stay open", "Vera Lind", "told"),
            (),
        ),
        (
            "According to Tomas Brek, the border would stay open.",
            Said("the border would stay open", "Tomas Brek", "According to"),
            (),
        ),
        (
            "The border will stay open, Vera Lind said in an interview with Korvex.",
            Said("The border will stay open", "Vera Lind", "said"),
            ("Korvex",),
        ),
        (
            "Vera Lind, speaking in an interview with Tomas Brek, said the border would stay open.",
            Said("the border would stay open", "Vera Lind", "said"),
            (),
        ),
        (
            "Vera Lind told the BBC's evening programme that the border would stay open.",
            Said("the border would stay open", "Vera Lind", "told"),
            ("BBC",),
        ),
        (
            "Vera Lind said in a statement carried by state news agency Veltar that the border "
            "would stay open.",
            Said("the border would stay open", "Vera Lind", "said"),
            ("Veltar",),
        ),
        (
            "Vera Lind said on Channel 9 on Monday that the border would stay open.",
            Said("the border would stay open", "Vera Lind", "said"),
            ("Channel 9",),
        ),
        (
            "Vera Lind said on Monday in Corvel that the border would stay open.",
            Said("the border would stay open", "Vera Lind", "said"),
            (),
        ),
        (
            "Vera Lind told the Senate that the border would stay open.",
            Said("the border would stay open", "Vera Lind", "told"),
            (),
        ),
        (
            "Vera Lind said the border would stay open, and the Harbour Gazette said the "
            "ferry would stop.",
            Said("the border would stay open", "Vera Lind", "said"),
            (),
        ),
        # A day after "interview on" is when, not through whom.
        (
            "Vera Lind said in a radio interview on Monday that the border would stay open.",
            Said("the border would stay open", "Vera Lind", "said"),
            (),
        ),
        (
            "Vera Lind told Reuters the border would stay open, according to a report in the "
            "Coastal Courier.",
            Said("the border would stay open", "Vera Lind", "told"),
            ("Reuters", "Coastal Courier"),
        ),
    ],
)
def test_relay_patterns(resolve: Resolve, text: str, said: Said, via: tuple[str, ...]) -> None:
    (quote,) = resolve(text, [said])
    assert quote.via == via
    assert quote.speaker.kind == "person"
    assert quote.speaker.name is not None
    assert quote.speaker.name.endswith(("Lind", "Brek"))


def test_outlet_wrapping_a_person_attribution_is_folded_into_it(resolve: Resolve) -> None:
    text = "The Daily Lantern reported that Vera Lind said the plan was sound."
    quotes = resolve(
        text,
        [
            Said("Vera Lind said the plan was sound", "The Daily Lantern", "reported"),
            Said("the plan was sound", "Vera Lind", "said"),
        ],
    )
    assert len(quotes) == 1
    assert quotes[0].text == "the plan was sound"
    assert quotes[0].speaker.name == "Vera Lind"
    assert quotes[0].via == ("Daily Lantern",)


def test_outlet_only_attribution_takes_speaker_from_its_content(resolve: Resolve) -> None:
    text = (
        "Deputy Minister Vera Lind visited the port on Monday.\n"
        "The Daily Lantern reported that Lind said the plan was sound."
    )
    (quote,) = resolve(
        text, [Said("Lind said the plan was sound", "The Daily Lantern", "reported")]
    )
    assert quote.speaker.name == "Vera Lind"
    assert quote.speaker.role == "Deputy Minister"
    assert quote.via == ("Daily Lantern",)


def test_outlet_reporting_on_its_own_is_the_speaker(resolve: Resolve) -> None:
    text = "The Harbour Gazette reported that the ferry service would end in May."
    (quote,) = resolve(
        text, [Said("the ferry service would end in May", "The Harbour Gazette", "reported")]
    )
    assert quote.speaker.name == "Harbour Gazette"
    assert quote.speaker.kind == "organisation"
    assert quote.via == ()


@pytest.mark.parametrize(
    ("outlet", "named"),
    [
        ("The New Harbour Post", "New Harbour Post"),
        ("The North Sea Daily Record", "North Sea Daily Record"),
    ],
)
def test_outlet_of_several_words_reporting_on_its_own_is_not_its_own_relay(
    resolve: Resolve, outlet: str, named: str
) -> None:
    text = f"{outlet} reports that the ferry service would end in May."
    (quote,) = resolve(text, [Said("the ferry service would end in May", outlet, "reports")])
    assert quote.speaker.name == named
    assert quote.via == ()


def test_outlet_short_form_takes_the_article_outlet_name(resolve: Resolve) -> None:
    text = "The Gazette has learned that the ferry service would end in May."
    (quote,) = resolve(
        text,
        [Said("the ferry service would end in May", "The Gazette", "has learned")],
        outlet="Harbour Gazette",
    )
    assert quote.speaker.name == "Harbour Gazette"


def test_relays_from_a_nested_report_order_outward(resolve: Resolve) -> None:
    text = "Reuters reported that Vera Lind told Radio Corvel that the talks had collapsed."
    quotes = resolve(
        text,
        [
            Said("Vera Lind told Radio Corvel that the talks had collapsed", "Reuters", "reported"),
            Said("the talks had collapsed", "Vera Lind", "told"),
        ],
    )
    assert [q.via for q in quotes] == [("Radio Corvel", "Reuters")]


def test_continuation_paragraph_keeps_the_relay(resolve: Resolve) -> None:
    text = (
        "“The talks are over,” Vera Lind told the Coastal Courier on Sunday.\n"
        "“We tried for a year and got nothing back.”"
    )
    quotes = resolve(
        text,
        [
            Said("“The talks are over,”", "Vera Lind", "told", kind="direct"),
            Said("“We tried for a year and got nothing back.”", kind="direct"),
        ],
    )
    assert [q.speaker.name for q in quotes] == ["Vera Lind", "Vera Lind"]
    assert [q.via for q in quotes] == [("Coastal Courier",), ("Coastal Courier",)]


def test_outlet_introduced_once_is_known_later(resolve: Resolve) -> None:
    text = (
        "The news agency Vostra first carried the story on Monday.\n"
        "Vostra reported that the crossing had been closed overnight."
    )
    (quote,) = resolve(text, [Said("the crossing had been closed overnight", "Vostra", "reported")])
    assert quote.speaker.name == "Vostra"
    assert quote.speaker.kind == "organisation"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Reuters", True),
        ("the BBC", True),
        ("Associated Press", True),
        ("Harbour Gazette", True),
        ("The Daily Lantern", True),
        ("Radio Corvel", True),
        ("Channel 9", True),
        ("Tidewire", True),
        ("Morning Ledger", True),
        ("Vera Lind", False),
        ("Harbour Alliance", False),
        ("the ministry", False),
        ("Press Secretary Anna Holt", False),
        ("", False),
    ],
)
def test_is_outlet_name(name: str, expected: bool) -> None:
    assert is_outlet_name(name) is expected


def test_an_outlet_citing_people_gives_them_the_statement(resolve: Resolve) -> None:
    text = (
        "The Harbour Alliance is weighing new fees for barges, the Coastal Courier reported on "
        "Monday, citing three port officials."
    )
    fees = "The Harbour Alliance is weighing new fees for barges"
    quotes = resolve(
        text,
        [
            Said(fees, "the Coastal Courier", "reported"),
            Said("three port officials", "the Coastal Courier", "citing"),
        ],
    )
    (quote,) = quotes
    assert quote.text == fees
    assert quote.speaker.name is None
    assert quote.speaker.kind == "group"
    assert quote.speaker.mention == "three port officials"
    assert quote.via == ("Coastal Courier",)


def test_an_outlet_quoting_a_named_person_gives_the_statement_to_that_person(
    resolve: Resolve,
) -> None:
    text = (
        "Deputy Minister Vera Lind met the mayor on Friday.\n"
        "The ferry will stop in May, the Coastal Courier reported, quoting Lind."
    )
    said = Said("The ferry will stop in May", "the Coastal Courier", "reported")
    (quote,) = resolve(text, [said])
    assert quote.speaker.name == "Vera Lind"
    assert quote.via == ("Coastal Courier",)


def test_an_outlet_citing_a_document_stays_the_speaker(resolve: Resolve) -> None:
    text = (
        "The Harbour Alliance is weighing new fees for barges, the Coastal Courier reported on "
        "Monday, citing a draft it had seen."
    )
    fees = "The Harbour Alliance is weighing new fees for barges"
    (quote,) = resolve(text, [Said(fees, "the Coastal Courier", "reported")])
    assert quote.speaker.name == "Coastal Courier"
    assert quote.via == ()


def test_a_quotation_relayed_whole_goes_to_the_person_its_verb_names(resolve: Resolve) -> None:
    text = (
        '"The border stays open. Nothing has changed," Vera Lind told Radio Corvel, according '
        "to the Harbour Gazette."
    )
    content = '"The border stays open. Nothing has changed," Vera Lind told Radio Corvel'
    (quote,) = resolve(text, [Said(content, "the Harbour Gazette", "according to", kind="mixed")])
    assert quote.speaker.name == "Vera Lind"
    assert quote.speaker.kind == "person"
    assert quote.via == ("Radio Corvel", "Harbour Gazette")


def test_a_quotation_that_runs_on_over_its_cue_keeps_the_outlet_told(nlp: Language) -> None:
    text = '"The border stays open," Vera Lind told Radio Corvel on Monday.'
    said = attribution(text, Said('"The border stays open,"', "Vera Lind", "told", kind="mixed"))
    # The tagger ran the words on over the cue and the listener.
    ran_on = replace(said, content=Span(0, text.index(" on Monday")))
    article = Article(id="t", source="t", text=text)
    (quote,) = resolve_quotes(article, nlp(text), [ran_on])
    assert quote.speaker.name == "Vera Lind"
    assert quote.via == ("Radio Corvel",)


@pytest.mark.parametrize(
    ("outlet", "told"),
    [
        ("Daily Lantern", "the Lantern"),
        ("Daily Lantern", "the Daily Lantern"),
        ("sallowgazette.example", "the Gazette"),
        ("www.sallowgazette.example", "the Sallow Gazette"),
        ("ellisstar.example", "the Ellis Evening Star"),
    ],
)
def test_words_told_to_the_publishing_outlet_have_no_relay_and_no_audience(
    resolve: Resolve, outlet: str, told: str
) -> None:
    text = (
        f"Anja Lehto, who heads the hospital board in Kessel, told {told} that two wards had "
        "already closed."
    )
    (quote,) = resolve(
        text, [Said("that two wards had already closed", "Anja Lehto", "told")], outlet=outlet
    )
    assert quote.speaker.name == "Anja Lehto"
    assert quote.via == ()
    assert quote.audience == ()


def test_another_outlet_of_the_same_last_word_is_still_a_relay(resolve: Resolve) -> None:
    text = "Anja Lehto told the Northgate Times that two wards had already closed."
    (quote,) = resolve(
        text,
        [Said("that two wards had already closed", "Anja Lehto", "told")],
        outlet="Harbour Times",
    )
    assert quote.via == ("Northgate Times",)


def test_a_relayed_content_opening_with_its_verb_goes_to_the_subject_before_it(
    resolve: Resolve,
) -> None:
    text = (
        "The singer Nela Ferro told Radio Kestrel that she was tired. "
        "She also told the station that she would play the cancelled cities next summer, "
        "according to the Brennick Post."
    )
    quotes = resolve(
        text,
        [
            Said(
                "also told the station that she would play the cancelled cities next summer",
                "the Brennick Post",
                "according to",
            )
        ],
    )
    (quote,) = quotes
    assert quote.speaker.name == "Nela Ferro"
    assert "Brennick Post" in quote.via


def test_an_outlet_by_its_last_word_is_an_outlet_and_gets_its_full_name(
    resolve: Resolve,
) -> None:
    text = (
        "Daniel Okafor said he missed home, the Northgate Post reported.\n"
        "The 23-year-old also told the station that he still took the ferry home every "
        "Sunday, the Post said."
    )
    quotes = resolve(
        text,
        [
            Said("he missed home", "Daniel Okafor", "said"),
            Said(
                "The 23-year-old also told the station that he still took the ferry home every "
                "Sunday",
                "the Post",
                "said",
            ),
        ],
    )
    last = quotes[-1]
    assert last.speaker.name == "Daniel Okafor"
    assert last.via == ("Northgate Post",)
