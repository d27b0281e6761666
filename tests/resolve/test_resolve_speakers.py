"""Speaker identity, role and organisation: resolve_quotes on invented articles."""

from __future__ import annotations

from dataclasses import replace

import pytest
from resolve_helpers import Resolve, Said, attribution
from spacy.language import Language

from onrecord.models import Article, Quote, Span
from onrecord.resolve import resolve_quotes

BORDER = (
    "Veldoran Deputy Foreign Minister Vera Lind said on Monday that the northern crossing "
    "would reopen within a week.\n"
    "Tomas Brek, a spokesman for the Harbour Alliance, said the alliance had not been "
    "consulted.\n"
    "“We will not accept a decision taken behind closed doors,” he said.\n"
    "“The crossing belongs to both towns,” she said.\n"
    "Lind added that customs staff would be doubled.\n"
    "“Nobody will be turned away.”\n"
    "Veldora and its neighbour have argued over the crossing since the spring."
)


def _by_content(quotes: tuple[Quote, ...], fragment: str) -> Quote:
    matches = [q for q in quotes if fragment in q.text]
    assert len(matches) == 1, [q.text for q in quotes]
    return matches[0]


@pytest.fixture(scope="module")
def border(resolve: Resolve) -> tuple[Quote, ...]:
    quotes: tuple[Quote, ...] = resolve(
        BORDER,
        [
            Said(
                "the northern crossing would reopen within a week",
                "Veldoran Deputy Foreign Minister Vera Lind",
                "said",
            ),
            Said("the alliance had not been consulted", "Tomas Brek", "said"),
            Said("“We will not accept a decision taken behind closed doors,”", "he", "said"),
            Said("“The crossing belongs to both towns,”", "she", "said", kind="direct"),
            Said("customs staff would be doubled", "Lind", "added"),
            Said("“Nobody will be turned away.”", kind="direct"),
        ],
    )
    return quotes


def test_full_name_with_premodifier_role_and_demonym(border: tuple[Quote, ...]) -> None:
    speaker = _by_content(border, "northern crossing").speaker
    assert speaker.name == "Vera Lind"
    assert speaker.kind == "person"
    assert speaker.role == "Deputy Foreign Minister"
    # "Veldoran" maps to the place the article names elsewhere.
    assert speaker.org == "Veldora"
    assert speaker.mention == "Veldoran Deputy Foreign Minister Vera Lind"


def test_appositive_gives_role_and_org(border: tuple[Quote, ...]) -> None:
    speaker = _by_content(border, "not been consulted").speaker
    assert (speaker.name, speaker.role, speaker.org) == (
        "Tomas Brek",
        "spokesman",
        "Harbour Alliance",
    )


def test_pronouns_pick_the_person_of_matching_gender(border: tuple[Quote, ...]) -> None:
    he = _by_content(border, "closed doors").speaker
    she = _by_content(border, "both towns").speaker
    assert (he.name, he.mention) == ("Tomas Brek", "he")
    assert (she.name, she.mention) == ("Vera Lind", "she")
    # The pronoun mention keeps its own offsets in the text.
    assert he.mention_start is not None
    assert BORDER[he.mention_start : he.mention_end] == "he"


def test_surname_resolves_to_fullest_earlier_name_and_keeps_role(
    border: tuple[Quote, ...],
) -> None:
    speaker = _by_content(border, "customs staff").speaker
    assert (speaker.name, speaker.mention) == ("Vera Lind", "Lind")
    assert speaker.role == "Deputy Foreign Minister"


def test_paragraph_without_source_continues_previous_speaker(border: tuple[Quote, ...]) -> None:
    speaker = _by_content(border, "Nobody will be turned away").speaker
    assert speaker.name == "Vera Lind"
    assert speaker.mention is None
    assert speaker.mention_start is None


def test_source_less_quote_far_from_any_speaker_stays_unknown(resolve: Resolve) -> None:
    text = (
        "Anna Holt said the pier was safe.\n"
        "The harbour opened in 1911.\n"
        "Boats still come in every morning.\n"
        "“The tide decides everything.”"
    )
    quotes = resolve(
        text,
        [
            Said("the pier was safe", "Anna Holt", "said"),
            Said("“The tide decides everything.”", kind="direct"),
        ],
    )
    assert quotes[1].speaker.name is None
    assert quotes[1].speaker.kind == "unknown"


def test_pronoun_prefers_gender_over_recency(resolve: Resolve) -> None:
    text = (
        "Mr Ivo Sandor met Ms Rhea Calder at the port on Tuesday. "
        "Sandor said the talks went well.\n"
        "Calder said the cranes were idle, and she said repairs would take months."
    )
    quotes = resolve(
        text,
        [
            Said("the talks went well", "Sandor", "said"),
            Said("the cranes were idle", "Calder", "said"),
            Said("repairs would take months", "she", "said"),
        ],
    )
    assert [q.speaker.name for q in quotes] == ["Ivo Sandor", "Rhea Calder", "Rhea Calder"]
    # Now the male pronoun right after the woman speaks: it must skip her.
    text2 = text.replace("she said repairs", "he said repairs")
    quotes2 = resolve(
        text2,
        [
            Said("the talks went well", "Sandor", "said"),
            Said("the cranes were idle", "Calder", "said"),
            Said("repairs would take months", "he", "said"),
        ],
    )
    assert quotes2[2].speaker.name == "Ivo Sandor"


def test_pronoun_learns_gender_from_an_earlier_pronoun(resolve: Resolve) -> None:
    text = (
        "Dr Ilse Varga, who leads the port clinic, said supplies were short. "
        "She said two nurses had left.\n"
        "Dr Orrin Pell disagreed. He said the clinic was fully staffed.\n"
        "“We are coping,” she said."
    )
    quotes = resolve(
        text,
        [
            Said("supplies were short", "Dr Ilse Varga", "said"),
            Said("two nurses had left", "She", "said"),
            Said("the clinic was fully staffed", "He", "said"),
            Said("“We are coping,”", "she", "said", kind="direct"),
        ],
    )
    assert [q.speaker.name for q in quotes] == [
        "Ilse Varga",
        "Ilse Varga",
        "Orrin Pell",
        "Ilse Varga",
    ]


@pytest.mark.parametrize(
    ("intro", "mention", "name"),
    [
        ("Deputy Mayor Ruth Okafor", "Ms Okafor", "Ruth Okafor"),
        ("Harbour master Joel Oduya", "Mr. Oduya", "Joel Oduya"),
        ("Surgeon Nils Ferro", "Dr Ferro", "Nils Ferro"),
        ("Councillor Mira Tansey", "Mira", "Mira Tansey"),
    ],
)
def test_title_and_first_name_mentions(
    resolve: Resolve, intro: str, mention: str, name: str
) -> None:
    text = f"{intro} opened the new quay on Friday. Later {mention} said the quay cost too much."
    (quote,) = resolve(text, [Said("the quay cost too much", mention, "said")])
    assert quote.speaker.name == name
    assert quote.speaker.mention == mention


def test_surname_before_full_name_uses_later_full_name(resolve: Resolve) -> None:
    text = "Marek said the vote was rigged. Opposition leader Jonas Marek has called for a recount."
    (quote,) = resolve(text, [Said("the vote was rigged", "Marek", "said")])
    assert quote.speaker.name == "Jonas Marek"
    assert quote.speaker.role == "Opposition leader"


def test_nominal_role_mention_resolves_to_person_introduced_with_it(resolve: Resolve) -> None:
    text = (
        "Trade Minister Oskar Vell and central bank governor Lena Dorsch met exporters on "
        "Wednesday.\n"
        "The minister said tariffs would be cut, while the governor said rates would stay high."
    )
    quotes = resolve(
        text,
        [
            Said("tariffs would be cut", "The minister", "said"),
            Said("rates would stay high", "the governor", "said"),
        ],
    )
    assert quotes[0].speaker.name == "Oskar Vell"
    assert quotes[0].speaker.mention == "The minister"
    assert quotes[0].speaker.role == "Trade Minister"
    assert quotes[1].speaker.name == "Lena Dorsch"


@pytest.mark.parametrize(
    ("sentence", "source", "role", "org"),
    [
        ("The spokeswoman said the ferry would sail.", "The spokeswoman", "spokeswoman", None),
        (
            "The minister for Corvel said the ferry would sail.",
            "The minister for Corvel",
            "minister",
            "Corvel",
        ),
        (
            "A spokesman for the port authority said the ferry would sail.",
            "A spokesman for the port authority",
            "spokesman",
            "port authority",
        ),
        (
            "The Veldoran trade minister said the ferry would sail.",
            "The Veldoran trade minister",
            "trade minister",
            "Veldoran",
        ),
    ],
)
def test_nominal_without_introduction_keeps_role_only(
    resolve: Resolve, sentence: str, source: str, role: str, org: str | None
) -> None:
    (quote,) = resolve(sentence, [Said("the ferry would sail", source, "said")])
    assert quote.speaker.name is None
    assert quote.speaker.kind == "person"
    assert (quote.speaker.role, quote.speaker.org) == (role, org)


@pytest.mark.parametrize(
    ("sentence", "source", "name", "role", "org"),
    [
        (
            "Deputy Foreign Minister of Veldora Vera Lind said the talks were over.",
            "Deputy Foreign Minister of Veldora Vera Lind",
            "Vera Lind",
            "Deputy Foreign Minister",
            "Veldora",
        ),
        (
            "Deputy Minister of Foreign Affairs of Veldora Vera Lind said the talks were over.",
            "Deputy Minister of Foreign Affairs of Veldora Vera Lind",
            "Vera Lind",
            "Deputy Minister of Foreign Affairs",
            "Veldora",
        ),
        (
            "Minister for Foreign Affairs Ilse Brandt said the talks were over.",
            "Minister for Foreign Affairs Ilse Brandt",
            "Ilse Brandt",
            "Minister for Foreign Affairs",
            None,
        ),
        (
            "EU foreign policy chief Kaja Moss said the talks were over.",
            "EU foreign policy chief Kaja Moss",
            "Kaja Moss",
            "foreign policy chief",
            "EU",
        ),
        (
            "French Finance Minister Paul Gerrard said the talks were over.",
            "French Finance Minister Paul Gerrard",
            "Paul Gerrard",
            "Finance Minister",
            "France",
        ),
        (
            "Lind, the trade minister, said the talks were over.",
            "Lind",
            "Lind",
            "trade minister",
            None,
        ),
        (
            "Ines Marlow, an economist at the University of Corvel, said the talks were over.",
            "Ines Marlow",
            "Ines Marlow",
            "economist",
            "University of Corvel",
        ),
        (
            "Yara Quist, chief negotiator for the Coastal League, said the talks were over.",
            "Yara Quist",
            "Yara Quist",
            "chief negotiator",
            "Coastal League",
        ),
        # Wire style: the body right after the name, no role given.
        (
            "Erik Haug of Polar Asset Management said the talks were over.",
            "Erik Haug of Polar Asset Management",
            "Erik Haug",
            None,
            "Polar Asset Management",
        ),
        # A common noun before "'s" names no organisation; a proper one does.
        (
            "The study's lead author, Ingrid Solberg, said the talks were over.",
            "The study's lead author, Ingrid Solberg",
            "Ingrid Solberg",
            "lead author",
            None,
        ),
        (
            "Tarnland's chief negotiator, Ingrid Solberg, said the talks were over.",
            "Tarnland's chief negotiator, Ingrid Solberg",
            "Ingrid Solberg",
            "chief negotiator",
            "Tarnland",
        ),
        # A possessive pronoun is no part of the role.
        (
            "Its operations director, Ana Ruiz, said the talks were over.",
            "Its operations director, Ana Ruiz",
            "Ana Ruiz",
            "operations director",
            None,
        ),
        # A place after the name is where the person is from, not a body they speak for.
        (
            "Senator Ann Lee of Texas said the talks were over.",
            "Senator Ann Lee of Texas",
            "Ann Lee",
            "Senator",
            None,
        ),
    ],
)
def test_role_and_org_from_premodifiers_and_appositives(
    resolve: Resolve, sentence: str, source: str, name: str, role: str | None, org: str | None
) -> None:
    (quote,) = resolve(sentence, [Said("the talks were over", source, "said")])
    assert (quote.speaker.name, quote.speaker.role, quote.speaker.org) == (name, role, org)
    assert quote.speaker.kind == "person"


def test_a_title_does_not_reach_back_over_a_line_break(resolve: Resolve) -> None:
    # The headline's last word sits right above the paragraph's "Mayor Lise Aune".
    text = "Mayor and council trade blows over budget\n\nMayor Lise Aune said the talks were over."
    (quote,) = resolve(text, [Said("the talks were over", "Mayor Lise Aune", "said")])
    assert (quote.speaker.name, quote.speaker.role) == ("Lise Aune", "Mayor")


@pytest.mark.parametrize(
    ("sentence", "source", "name", "kind"),
    [
        ("The Kremlin said the exercise was routine.", "The Kremlin", "Kremlin", "organisation"),
        ("The ministry said the exercise was routine.", "The ministry", "ministry", "organisation"),
        (
            "The Harbour Alliance said the exercise was routine.",
            "The Harbour Alliance",
            "Harbour Alliance",
            "organisation",
        ),
        ("Officials said the exercise was routine.", "Officials", None, "group"),
        ("Protesters said the exercise was routine.", "Protesters", None, "group"),
        ("Police said the exercise was routine.", "Police", "Police", "organisation"),
        (
            "The government said the exercise was routine.",
            "The government",
            "government",
            "organisation",
        ),
        ("NATO said the exercise was routine.", "NATO", "NATO", "organisation"),
        ("Republicans said the exercise was routine.", "Republicans", None, "group"),
        (
            "Two senior diplomats said the exercise was routine.",
            "Two senior diplomats",
            None,
            "group",
        ),
    ],
)
def test_organisation_and_group_speakers(
    resolve: Resolve, sentence: str, source: str, name: str | None, kind: str
) -> None:
    # Several people no one names are a group without a name; the mention says who.
    (quote,) = resolve(sentence, [Said("the exercise was routine", source, "said")])
    assert quote.speaker.name == name
    assert quote.speaker.kind == kind


def test_organisation_noun_takes_the_full_name_given_earlier(resolve: Resolve) -> None:
    text = (
        "The Harbour Alliance, a group of port operators, met on Monday.\n"
        "The alliance said the fees were too high."
    )
    (quote,) = resolve(text, [Said("the fees were too high", "The alliance", "said")])
    assert (quote.speaker.name, quote.speaker.kind) == ("Harbour Alliance", "organisation")
    assert quote.speaker.mention == "The alliance"


@pytest.mark.parametrize(
    ("before", "name", "kind"),
    [
        # The people the sentence before is about, not a body named further back.
        ("The researchers surveyed 212 plots.", None, "group"),
        # A body as that subject: "they" is the body.
        ("Tamsa Capital surveyed 212 plots.", "Tamsa Capital", "organisation"),
    ],
)
def test_they_takes_the_subject_of_the_sentence_before(
    resolve: Resolve, before: str, name: str | None, kind: str
) -> None:
    text = (
        "Ingrid Solberg of the University of Tromvik led the study. "
        f"{before} They wrote that warmer summers had sped up the arrival of spores."
    )
    said = Said("warmer summers had sped up the arrival of spores", "They", "wrote")
    (quote,) = resolve(text, [said])
    assert (quote.speaker.name, quote.speaker.kind) == (name, kind)


def test_they_refers_back_to_a_group(resolve: Resolve) -> None:
    text = "Dock workers said the cranes were unsafe. They said the union would strike on Monday."
    quotes = resolve(
        text,
        [
            Said("the cranes were unsafe", "Dock workers", "said"),
            Said("the union would strike on Monday", "They", "said"),
        ],
    )
    assert quotes[1].speaker.name is None
    assert quotes[1].speaker.kind == "group"
    assert quotes[1].speaker.mention == "They"


@pytest.mark.parametrize(
    ("sentence", "source", "name", "kind", "org"),
    [
        (
            "Officials at the Harbour Authority said the exercise was routine.",
            "Officials at the Harbour Authority",
            None,
            "group",
            "Harbour Authority",
        ),
        (
            "The ministry, which runs the ports, said the exercise was routine.",
            "The ministry, which runs the ports,",
            "ministry",
            "organisation",
            None,
        ),
    ],
)
def test_long_group_and_organisation_mentions_are_named_by_their_head(
    resolve: Resolve, sentence: str, source: str, name: str | None, kind: str, org: str | None
) -> None:
    (quote,) = resolve(sentence, [Said("the exercise was routine", source, "said")])
    assert (quote.speaker.name, quote.speaker.kind, quote.speaker.org) == (name, kind, org)
    assert quote.speaker.mention == source


def test_demonym_group_gets_place_as_org(resolve: Resolve) -> None:
    text = "Veldoran officials said the crossing was closed. Veldora denies any blockade."
    (quote,) = resolve(text, [Said("the crossing was closed", "Veldoran officials", "said")])
    assert quote.speaker.kind == "group"
    assert quote.speaker.org == "Veldora"


@pytest.mark.parametrize("source", ["Both parliaments", "The two neighbours", "All three ports"])
def test_sentence_initial_determiners_are_not_organisations(resolve: Resolve, source: str) -> None:
    text = f"{source} said the treaty was dead."
    (quote,) = resolve(text, [Said("the treaty was dead", source, "said")])
    assert quote.speaker.kind == "group"
    assert quote.speaker.org is None


def test_empty_input_gives_no_quotes(nlp: Language) -> None:
    article = Article(id="e", source="e", text="")
    assert resolve_quotes(article, nlp(""), []) == ()
    text = "Nothing was said today."
    assert resolve_quotes(Article(id="n", source="n", text=text), nlp(text), []) == ()


def test_output_is_sorted_and_carries_fields(nlp: Language) -> None:
    text = "Anna Holt said the pier was safe. Boris Lenk said the pier was not safe at all."
    first = attribution(text, Said("the pier was not safe at all", "Boris Lenk", "said"), 0.4)
    second = attribution(text, Said("the pier was safe", "Anna Holt", "said"), 0.9)
    quotes = resolve_quotes(Article(id="o", source="o", text=text), nlp(text), [first, second])
    assert [q.start for q in quotes] == sorted(q.start for q in quotes)
    for quote in quotes:
        assert quote.text == text[quote.start : quote.end]
        assert quote.cue == "said"
        assert quote.extractor == "test.v1"
    assert [q.confidence for q in quotes] == [0.9, 0.4]
    assert [q.speaker.name for q in quotes] == ["Anna Holt", "Boris Lenk"]


def test_unresolvable_fictional_demonym_is_kept_as_org(resolve: Resolve) -> None:
    text = "Corvelese Trade Minister Hana Ruud said the quota would be lifted."
    (quote,) = resolve(
        text, [Said("the quota would be lifted", "Corvelese Trade Minister Hana Ruud", "said")]
    )
    assert (quote.speaker.name, quote.speaker.role, quote.speaker.org) == (
        "Hana Ruud",
        "Trade Minister",
        "Corvelese",
    )


def test_indefinite_and_possessive_role_nouns_name_someone_new(resolve: Resolve) -> None:
    text = (
        "Fisheries Minister Arno Wick toured the docks on Friday.\n"
        "A senior official said the fleet would be cut. "
        "The ministry's spokeswoman said no decision had been taken.\n"
        "“We are still counting boats,” she said.\n"
        "“The report is due in June.”"
    )
    quotes = resolve(
        text,
        [
            Said("the fleet would be cut", "A senior official", "said"),
            Said("no decision had been taken", "The ministry's spokeswoman", "said"),
            Said("“We are still counting boats,”", "she", "said", kind="direct"),
            Said("“The report is due in June.”", kind="direct"),
        ],
    )
    official, spokeswoman, she, continued = (q.speaker for q in quotes)
    assert (official.name, official.role) == (None, "senior official")
    assert (spokeswoman.name, spokeswoman.role, spokeswoman.org) == (
        None,
        "spokeswoman",
        "ministry",
    )
    # Neither pronoun nor continuation jumps to the only named person, a man.
    assert (she.name, she.role, she.mention) == (None, "spokeswoman", "she")
    assert (continued.name, continued.role) == (None, "spokeswoman")


def test_relative_pronoun_source_takes_its_antecedent(resolve: Resolve) -> None:
    text = (
        "Harbour master Joel Oduya, who said last week that the quay was unsafe, resigned on "
        "Friday."
    )
    (quote,) = resolve(text, [Said("the quay was unsafe", "who", "said")])
    assert quote.speaker.name == "Joel Oduya"
    assert quote.speaker.mention == "who"
    assert quote.speaker.role == "Harbour master"


def test_it_refers_back_to_an_organisation(resolve: Resolve) -> None:
    text = "The Harbour Authority said the port would reopen. It said the damage was limited."
    quotes = resolve(
        text,
        [
            Said("the port would reopen", "The Harbour Authority", "said"),
            Said("the damage was limited", "It", "said"),
        ],
    )
    assert [(q.speaker.name, q.speaker.kind) for q in quotes] == [
        ("Harbour Authority", "organisation"),
        ("Harbour Authority", "organisation"),
    ]
    assert quotes[1].speaker.mention == "It"


@pytest.mark.parametrize(
    ("source", "org"),
    [("Dock workers", None), ("Foreign policy analysts", None), ("Ministry officials", "Ministry")],
)
def test_a_capital_that_only_opens_the_sentence_is_no_organisation(
    resolve: Resolve, source: str, org: str | None
) -> None:
    text = f"{source} said the cranes were unsafe."
    (quote,) = resolve(text, [Said("the cranes were unsafe", source, "said")])
    assert (quote.speaker.name, quote.speaker.kind, quote.speaker.org) == (None, "group", org)
    assert quote.speaker.mention == source


@pytest.mark.parametrize(
    ("text", "source", "org"),
    [
        (
            "The Harbour Alliance will not back the deal without guarantees, its spokesman said.",
            "its spokesman",
            "Harbour Alliance",
        ),
        (
            "Tomas Brek, who leads the Harbour Alliance, will not back the deal without "
            "guarantees, his spokesman said.",
            "his spokesman",
            None,
        ),
    ],
)
def test_possessive_pronoun_owner_is_the_organisation_it_refers_to(
    resolve: Resolve, text: str, source: str, org: str | None
) -> None:
    (quote,) = resolve(text, [Said("will not back the deal without guarantees", source, "said")])
    assert (quote.speaker.name, quote.speaker.role, quote.speaker.org) == (None, "spokesman", org)


@pytest.mark.parametrize("role", ["mediator", "arbitrator", "ombudsman"])
def test_a_role_noun_refers_back_to_the_person_who_holds_it(resolve: Resolve, role: str) -> None:
    text = (
        f"Chief {role} Vera Lind met both sides on Monday.\n"
        f'"Nobody leaves this room angry," the {role} said.'
    )
    (quote,) = resolve(
        text, [Said('"Nobody leaves this room angry,"', f"the {role}", "said", kind="direct")]
    )
    assert quote.speaker.name == "Vera Lind"


def test_a_source_cut_to_a_comma_is_read_as_no_source(nlp: Language) -> None:
    text = (
        "The party met in Drun on Monday.\n"
        '"We will win this seat," said Drun party delegate Mara Lindqvist.'
    )
    said = attribution(text, Said("We will win this seat", "Mara Lindqvist", "said"))
    comma = text.index(',"')
    cut = replace(said, source=Span(comma, comma + 1))
    article = Article(id="test", source="test", text=text)
    (quote,) = resolve_quotes(article, nlp(text), [cut])
    assert quote.speaker.name == "Mara Lindqvist"
