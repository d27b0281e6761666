"""Resolved names and non-statements, one short article of our own per rule.

Attributions are written by hand (as the tagger would give them), so each rule is tested apart
from the tagger; the parse is the shipped spaCy pipeline's. The articles, the attributions and
what is expected of them are in ``data/names_cases.json``: ``screen`` lists the statements
that must stay, ``names`` the name each statement's speaker must get.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from resolve_helpers import Resolve, Said

from onrecord.models import Quote
from onrecord.resolve._outlets import normalise_name

CASES = Path(__file__).parent / "data" / "names_cases.json"


def _one(quotes: tuple[Quote, ...], fragment: str) -> Quote:
    found = [q for q in quotes if fragment in q.text]
    assert len(found) == 1, [q.text for q in quotes]
    return found[0]


def _said(record: dict[str, str]) -> Said:
    return Said(record["content"], record["source"], record["cue"])


def _cases(group: str) -> list[dict[str, Any]]:  # Any: JSON values
    cases: list[dict[str, Any]] = json.loads(CASES.read_text("utf-8"))[group]
    return cases


@pytest.mark.parametrize("case", _cases("screen"), ids=lambda case: case["id"])
def test_questions_and_predictions_are_not_statements(
    resolve: Resolve, case: dict[str, Any]
) -> None:
    quotes = resolve(case["text"], [_said(s) for s in case["said"]])
    assert [q.text for q in quotes] == case["kept"]


@pytest.mark.parametrize("case", _cases("names"), ids=lambda case: case["id"])
def test_the_speaker_gets_the_name_the_article_gives(
    resolve: Resolve, case: dict[str, Any]
) -> None:
    said = _said(case["said"])
    before = [_said(s) for s in case.get("before", [])]
    quotes = resolve(case["text"], [*before, said])
    assert _one(quotes, said.content).speaker.name == case["name"]


# Each article: a named person says "the port would reopen", then a role noun speaks.
@pytest.mark.parametrize(
    ("text", "mention", "name"),
    [
        (
            "Senator Tomas Brek said the port would reopen. The Kessel candidate said ships were "
            "waiting.",
            "The Kessel candidate",
            "Tomas Brek",
        ),
        (
            "Tomas Brek said the port would reopen. The spokeswoman said ships were waiting.",
            "The spokeswoman",
            None,
        ),
        (
            "Tomas Brek said the port would reopen. The official, who asked not to be named, said "
            "ships were waiting.",
            "The official, who asked not to be named",
            None,
        ),
        (
            "A nurse came home from Drun. Mayor Tomas Brek said the port would reopen. The nurse "
            "said ships were waiting.",
            "The nurse",
            None,
        ),
    ],
    ids=[
        "back to the speaker before",
        "not across genders",
        "not to someone new",
        "not to someone met before without a name",
    ],
)
def test_a_definite_role_noun_no_one_holds(
    resolve: Resolve, text: str, mention: str, name: str | None
) -> None:
    first = "Senator Tomas Brek" if "Senator" in text else "Tomas Brek"
    said = [
        Said("the port would reopen", first, "said"),
        Said("ships were waiting", mention, "said"),
    ]
    assert _one(resolve(text, said), "ships were waiting").speaker.name == name


# Each article: a definite role phrase says "the cranes would come in spring"; the article
# names the role's holder before or after it, or two people who fit it, or no one.
@pytest.mark.parametrize(
    ("text", "mention", "name", "org"),
    [
        (
            "The chief executive of Ellis Harbour Holdings said the cranes would come in spring.\n"
            "Anton Brasch, the chief executive of Ellis Harbour Holdings, took the post in 2022.",
            "The chief executive of Ellis Harbour Holdings",
            "Anton Brasch",
            "Ellis Harbour Holdings",
        ),
        (
            "Chief executive Anton Brasch opened the terminal on Monday.\n"
            "Vera Lind, the chief executive of Tamsa Shipping, was there too.\n"
            "The chief executive of Ellis Harbour Holdings said the cranes would come in spring.",
            "The chief executive of Ellis Harbour Holdings",
            "Anton Brasch",
            None,
        ),
        (
            "Interior Minister Karl Mair met the mayors on Monday.\n"
            "Austria's interior minister said the cranes would come in spring.",
            "Austria's interior minister",
            "Karl Mair",
            None,
        ),
        (
            "The chief executive of Ellis Harbour Holdings said the cranes would come in spring.\n"
            "Anton Brasch, the chief executive of Ellis Harbour Holdings, and Vera Lind, the chief "
            "executive of Ellis Harbour Holdings until 2024, met the union.",
            "The chief executive of Ellis Harbour Holdings",
            None,
            "Ellis Harbour Holdings",
        ),
        (
            "Vera Lind, the chief executive of Tamsa Shipping, opened the terminal.\n"
            "The chief executive of Ellis Harbour Holdings said the cranes would come in spring.",
            "The chief executive of Ellis Harbour Holdings",
            None,
            "Ellis Harbour Holdings",
        ),
    ],
    ids=[
        "the holder named after, in apposition",
        "the holder named before, by a premodifier, beside another company's",
        "a possessor's role held by a premodified name",
        "two people fit",
        "held by no one named",
    ],
)
def test_a_definite_role_phrase_goes_to_its_one_named_holder(
    resolve: Resolve, text: str, mention: str, name: str | None, org: str | None
) -> None:
    said = [Said("the cranes would come in spring", mention, "said")]
    speaker = _one(resolve(text, said), "the cranes would come in spring").speaker
    assert (speaker.name, speaker.kind) == (name, "person")
    # The role is kept, as the article gives it.
    assert speaker.role is not None
    assert speaker.role.lower() in mention.lower()
    if org is not None:
        assert speaker.org == org


def test_a_relative_clause_given_whole_as_the_source_is_the_person_it_hangs_on(
    resolve: Resolve,
) -> None:
    text = (
        "Lina Brekke, who speaks for the Oster Vik Parents' Association, told the Gazette that "
        "the association would ask for a two-year delay."
    )
    (quote,) = resolve(
        text,
        [
            Said(
                "that the association would ask for a two-year delay",
                "who speaks for the Oster Vik Parents' Association",
                "told",
            )
        ],
    )
    assert quote.speaker.name == "Lina Brekke"


def test_a_bare_role_two_named_people_hold_names_no_one(resolve: Resolve) -> None:
    text = (
        "Veldora's finance minister, Karel Dorn, and the health minister, Ines Vaal, clashed on "
        "Friday over the hospital budget.\n"
        "Dorn told parliament that taxes would have to rise. Vaal said the hospitals would run "
        "out of money by October.\n"
        "The minister said that waiting lists would double."
    )
    quotes = resolve(
        text,
        [
            Said("that taxes would have to rise", "Dorn", "told"),
            Said("the hospitals would run out of money by October", "Vaal", "said"),
            Said("that waiting lists would double", "The minister", "said"),
        ],
    )
    assert [q.speaker.name for q in quotes] == ["Karel Dorn", "Ines Vaal", None]
    assert quotes[-1].speaker.role == "minister"


def test_a_role_given_by_a_relative_clause_finds_its_holder(resolve: Resolve) -> None:
    text = (
        "Anja Lehto, who heads the hospital board in Kessel, said two wards had closed.\n"
        "Rolf Berger, a nurse, said the staff were tired.\n"
        "The head of the Kessel hospital board said beds were kept for emergencies only."
    )
    quotes = resolve(
        text,
        [
            Said("two wards had closed", "Anja Lehto", "said"),
            Said("the staff were tired", "Rolf Berger", "said"),
            Said(
                "beds were kept for emergencies only",
                "The head of the Kessel hospital board",
                "said",
            ),
        ],
    )
    assert quotes[0].speaker.role == "head"
    assert quotes[0].speaker.org == "hospital board in Kessel"
    assert quotes[-1].speaker.name == "Anja Lehto"


def test_a_relative_clause_of_another_verb_gives_no_role(resolve: Resolve) -> None:
    text = "Pavla Strand, who farms 300 hectares near the border, said prices had fallen."
    (quote,) = resolve(text, [Said("prices had fallen", "Pavla Strand", "said")])
    assert quote.speaker.name == "Pavla Strand"
    assert quote.speaker.role is None


def test_a_playing_position_before_a_name_is_a_role_not_part_of_the_name(
    resolve: Resolve,
) -> None:
    text = (
        "Saltmarsh Rovers won the cup on Saturday.\n"
        "Goalkeeper Ansel Rijk saved the decisive kick.\n"
        '"I went left four times and was wrong four times," Rijk said.'
    )
    (quote,) = resolve(
        text, [Said("I went left four times and was wrong four times", "Rijk", "said", "direct")]
    )
    assert quote.speaker.name == "Ansel Rijk"


def test_a_surname_the_parse_took_for_a_company_is_the_person(resolve: Resolve) -> None:
    text = (
        '"Cheese is the one aisle where Veldorans still pay for a name," says Mira Talvik, head '
        "of consumer research at Duncombe Partners. Talvik said the deal would give Halvard "
        "about a fifth of the country's dairy shelf space."
    )
    quotes = resolve(
        text,
        [
            Said(
                "Cheese is the one aisle where Veldorans still pay for a name",
                "Mira Talvik",
                "says",
                "direct",
            ),
            Said("the deal would give Halvard about a fifth", "Talvik", "said"),
        ],
    )
    assert quotes[-1].speaker.name == "Mira Talvik"
    assert quotes[-1].speaker.kind == "person"


def test_he_after_a_speaker_of_unknown_gender_in_the_paragraph_is_that_speaker(
    resolve: Resolve,
) -> None:
    text = (
        "Rovers manager Liv Granlund said striker Mats Jorgen would miss the final.\n"
        "Kessel's manager, Dag Rosing, blamed the pitch. "
        '"You cannot pass the ball on a field like that," he said.'
    )
    quotes = resolve(
        text,
        [
            Said("striker Mats Jorgen would miss the final", "Rovers manager Liv Granlund", "said"),
            Said("the pitch", "Kessel's manager, Dag Rosing", "blamed"),
            Said("You cannot pass the ball on a field like that", "he", "said", "direct"),
        ],
    )
    assert quotes[-1].speaker.name == "Dag Rosing"


def test_a_bare_role_after_a_holder_named_long_before_takes_the_recent_one(
    resolve: Resolve,
) -> None:
    text = (
        "Marrenland's president, Otto Vrij, sent his good wishes.\n"
        "The harbour opened on Monday.\n"
        "Crowds lined the quay.\n"
        "President Ada Holm cut the ribbon.\n"
        "The president said that the harbour would bring jobs."
    )
    quotes = resolve(text, [Said("that the harbour would bring jobs", "The president", "said")])
    assert quotes[-1].speaker.name == "Ada Holm"


def test_an_age_the_parse_hung_on_the_verb_is_the_person_just_quoted(resolve: Resolve) -> None:
    text = (
        "Rovers beat Kessel United with a late header from defender Tomas Okonkwo.\n"
        '"I have never scored with my head in a real match. I closed my eyes and hoped," '
        "Okonkwo said. The 24-year-old added that he would give the match ball to his father."
    )
    quotes = resolve(
        text,
        [
            Said("I closed my eyes and hoped", "Okonkwo", "said", "direct"),
            Said("that he would give the match ball to his father", "The 24-year-old", "added"),
        ],
    )
    assert quotes[-1].speaker.name == "Tomas Okonkwo"


@pytest.mark.parametrize(
    ("written", "name"),
    [
        ("an Ellis Research", "Ellis Research"),
        ("A Harbour Times/Tidewire", "Harbour Times/Tidewire"),
        ("the Kessel Ledger's", "Kessel Ledger"),
        ("a new poll", "a new poll"),
        ("A", "A"),
    ],
)
def test_a_name_loses_its_leading_article(written: str, name: str) -> None:
    assert normalise_name(written) == name
