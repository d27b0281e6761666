"""Junk removal on plain text: every junk kind, teaser tails, subheads and what must survive."""

from __future__ import annotations

import pytest
from clean_support import clean_text, reasons

TITLE = "Port strike enters second week as talks stall"
FIRST = (
    "Dock workers in Calder extended their strike on Monday after talks with the port "
    "authority broke down again."
)
SECOND = (
    '"We will stay out until the safety rota is fixed," union chair Ines Marrow told reporters '
    "outside the port gates."
)
THIRD = (
    "The authority said it had made a fair offer and called on the union to return to "
    "mediation this week."
)


def page(*middle: str, tail: tuple[str, ...] = ()) -> str:
    return "\n".join([TITLE, FIRST, *middle, SECOND, THIRD, *tail]) + "\n"


def assert_body_intact(text: str) -> None:
    for sentence in (TITLE, FIRST, SECOND, THIRD):
        assert sentence in text


@pytest.mark.parametrize(
    ("junk", "reason"),
    [
        ("07:35 GMT 19.12.2025 (Updated: 08:34 GMT 19.12.2025)", "timestamp"),
        ("Published 3 March 2025, 10:02", "timestamp"),
        ("Updated 2 hours ago", "timestamp"),
        ("Last updated: 23:48 GMT, 9 November 2025", "timestamp"),
        ("Mon 3 Mar 2025 10.02 GMT", "timestamp"),
        ("March 3, 2025", "timestamp"),
        ("5 min read", "promo"),
        ("(Photo by Jane Roe/Harbour Agency via Getty Images)", "credit"),
        ("Photo: Reuters", "credit"),
        ("(AP Photo/Jonas Ruehl)", "credit"),
        ("REUTERS/Evelyn Marsh", "credit"),
        ("Getty Images", "credit"),
        ("Jane Roe via Getty Images", "credit"),
        (
            "[1/3] A man walks past the port gates in Calder, March 3, 2025. REUTERS/Jane Roe "
            "Purchase Licensing Rights",
            "caption",
        ),
        ("EPA-EFE/Lena Stroud", "credit"),
        (
            (
                "Cranes stand idle at the port of Calder on Sunday.  (KARL DENN/POOL/AFP via "
                "Getty Images)"
            ),
            "caption",
        ),
        ("Idle cranes at the port. Photo: Lena Stroud", "caption"),
        ("Image caption, Dock workers at a rally in Calder on Sunday", "caption"),
        ("Listen to this article", "promo"),
        ("Listen to this article · 5 min", "promo"),
        ("NEWYou can now listen to Harbour News articles!", "promo"),
        ("Share this article", "share"),
        ("Share", "share"),
        ("Facebook Twitter WhatsApp Email", "share"),
        ("Follow us on Telegram for the latest news", "share"),
        ("Sign up for our newsletter", "share"),
        ("Subscribe now", "share"),
        (
            "Sign up for our daily briefing and get the top stories delivered to your inbox.",
            "share",
        ),
        (
            "We use cookies to improve your experience on our site. By continuing to browse, you"
            " agree to our use of cookies.",
            "cookie",
        ),
        ("Accept all cookies", "cookie"),
        ("Advertisement", "advert"),
        ("ADVERTISEMENT", "advert"),
        ("Story continues below advertisement", "advert"),
        ("Advertisement - scroll to continue", "advert"),
        ("Read the rest here.", "promo"),
        ("Read more: Calder port talks collapse for second time", "related-tail"),
        ("Related: Esk Bay unveils expansion plan", "related-tail"),
        ("By Mara Velin and Tomas Orrin", "byline"),
        ("Reporting by Mara Velin; Editing by Tom Baird", "byline"),
        ("Editing by Tom Baird", "credit"),
        ("Topics: Ports, Strikes, Calder", "nav"),
        ("© 2025 Harbour News. All rights reserved.", "footer"),
        ("Privacy Policy | Terms of Use | Contact us", "footer"),
        ("World | Europe | Ports and shipping", "nav"),
        ("Follow Mara Velin on X @maravelin.", "share"),
        ("Enable JavaScript | Loading...", "nav"),
        ("April 26, 2025 -- Updated 1358 GMT (2158 HKT)", "timestamp"),
        ("[Donnerstag, 8. Mai 2025]", "timestamp"),
        ("Veröffentlicht am 1. Mai 2025, 14:20 Uhr", "timestamp"),
        ("publié le 27 juin 2024 à 10h30", "timestamp"),
        ("Author: Mara Velin", "byline"),
        ("weiterlesen", "promo"),
        ("Lire la suite", "promo"),
        ("Leer más", "promo"),
        ("Cranes at the Calder docks © Harbour Tourist Board / Ana Berg", "caption"),
        ("Image caption", "caption"),
        ("Vorlesen", "share"),
        ("7 Minuten Lesezeit", "share"),
        ("Kommentare geschlossen", "share"),
        ("Keine Kommentare", "share"),
        ("| Trackback-URL", "share"),
    ],
)
def test_junk_line_is_removed(junk: str, reason: str) -> None:
    article = clean_text(page(junk))
    assert junk not in article.text
    assert_body_intact(article.text)
    assert reasons(article).get(" ".join(junk.split())) == reason or (
        reason == "promo" and any(r.reason == "promo" for r in article.removed)
    )


def test_a_live_pages_time_stamps_go_and_their_paragraphs_stay() -> None:
    first = 'The ferry office has cancelled the noon crossing. "The swell is too high," it said.'
    second = "About 400 passengers are waiting in the terminal, the port said."
    article = clean_text(page(f"10:42 \u2014 {first}", f"11.05 GMT - {second}"))
    assert first in article.text
    assert second in article.text
    assert "10:42" not in article.text
    assert "11.05" not in article.text
    assert reasons(article)["10:42 \u2014"] == "timestamp"
    assert reasons(article)["11.05 GMT -"] == "timestamp"


def test_a_time_that_opens_a_sentence_is_no_stamp() -> None:
    line = "7:30 \u2014 that is when the first ferry leaves, the port said."
    assert line in clean_text(page(line)).text


def test_promo_glued_to_sentence_keeps_the_sentence() -> None:
    article = clean_text(
        page("NEWYou can now listen to Harbour News articles! " + THIRD[:-1] + " too.")
    )
    assert "You can now listen" not in article.text
    assert THIRD[:-1] + " too." in article.text
    assert [r for r in article.removed if r.reason == "promo"] == [
        type(article.removed[0])("NEWYou can now listen to Harbour News articles!", "promo")
    ]


def test_quoted_caption_keeps_the_quote_and_drops_only_the_credit() -> None:
    caption = (
        'A banner reads "We will not be moved from this port" at the gates. (KARL DENN/AFP via '
        "Getty Images)"
    )
    article = clean_text(page(caption))
    assert '"We will not be moved from this port" at the gates.' in article.text
    assert "Getty" not in article.text
    assert reasons(article)["(KARL DENN/AFP via Getty Images)"] == "credit"


def test_caption_heading_before_credited_caption_goes_too() -> None:
    heading = "Marrow addresses strikers at the Calder gates"
    caption = (
        "Ines Marrow speaks to union members in Calder on Sunday, March 2, 2025. (LENA "
        "STROUD/HARBOUR NEWS)"
    )
    article = clean_text(page(heading, caption))
    assert heading not in article.text
    assert reasons(article)[heading] == "caption"


TEASERS = (
    "Esk Bay unveils expansion plan",
    "“Esk Bay Expansion Plan Unveiled to Investors”",
    "The port of Esk Bay will add two new berths by…",
    "Calder council approves flood defences",
    "Council leader says the walls will be finished before winter, officials said on Monday.",
    "Rail freight strike called off after late deal",
)


@pytest.mark.parametrize(
    "marker",
    [
        "You May Also Like",
        "Related stories",
        "More from World",
        "Read more",
        "Recommended",
        "Most read",
        "More stories from Harbour News",
        "Trending in Europe:",
        "Suggested for you",
    ],
)
def test_teaser_tail_is_removed_to_the_end(marker: str) -> None:
    article = clean_text(page(tail=(marker, *TEASERS)))
    assert_body_intact(article.text)
    assert marker not in article.text
    for teaser in TEASERS:
        assert teaser not in article.text
        assert reasons(article)[teaser] == "related-tail"


def test_marker_followed_by_body_keeps_the_body() -> None:
    more = (
        (
            "Shipping lines have already moved sailings to Esk Bay, according to the chamber "
            "of commerce."
        ),
        (
            "Analysts said the dispute could cost local firms millions of pounds by the end of "
            "the month."
        ),
        (
            "The transport minister said the government would not intervene at this stage of "
            "the talks."
        ),
    )
    article = clean_text(page(tail=("Related stories", "Esk Bay unveils expansion plan", *more)))
    assert "Esk Bay unveils expansion plan" not in article.text
    for sentence in more:
        assert sentence in article.text


@pytest.mark.parametrize(
    "line",
    [
        "Sign up for the reserve army fell sharply this year, defence officials said on Monday.",
        '"Share the burden fairly and we will all get through this winter," the minister said.',
        "By the end of the year, prices had risen by four percent, the statistics office said.",
        "Follow us on this road to peace, the president urged the crowd in the capital on Monday.",
        (
            "Advertisement revenue at the broadcaster fell by a third, its annual report "
            "showed on Friday."
        ),
        (
            "Photo agencies have complained about the new accreditation rules, the union said "
            "on Tuesday."
        ),
        (
            '"Read more than the headlines before you judge us," the chief executive told '
            "shareholders."
        ),
        (
            "Published figures show the deficit widened to 4 percent of output in 2024, the "
            "ministry said."
        ),
    ],
)
def test_body_sentences_that_look_like_junk_survive(line: str) -> None:
    article = clean_text(page(line))
    assert line in article.text
    assert_body_intact(article.text)


def test_broken_line_is_rejoined() -> None:
    article = clean_text(
        page(
            "The union said the vote was unanimous and that members would", "meet again on Friday."
        )
    )
    assert (
        "The union said the vote was unanimous and that members would meet again on Friday."
        in article.text
    )


def test_blocks_mark_title_subheads_and_paragraphs() -> None:
    article = clean_text(page("Shipping lines reroute"))
    kinds = [(b.kind, article.text[b.start : b.end]) for b in article.blocks]
    assert kinds[0] == ("title", TITLE)
    assert ("subhead", "Shipping lines reroute") in kinds
    assert ("paragraph", FIRST) in kinds
    assert article.text.startswith(TITLE)
    assert all(
        article.text[b.start : b.end].strip() == article.text[b.start : b.end]
        for b in article.blocks
    )


def test_short_line_before_any_body_is_not_a_subhead() -> None:
    article = clean_text("\n".join([TITLE, "A deck line without a full stop", FIRST, SECOND]))
    kinds = {article.text[b.start : b.end]: b.kind for b in article.blocks}
    assert kinds["A deck line without a full stop"] == "paragraph"


def test_menu_lines_before_title_are_removed() -> None:
    text = "Skip to main content\nHome | World | Politics | Business\nWorld\nSign in\n" + page()
    article = clean_text(text)
    assert article.title == TITLE
    assert article.text.startswith(TITLE)
    assert reasons(article)["Home | World | Politics | Business"] == "nav"


def test_trailing_headlines_after_the_body_are_removed() -> None:
    article = clean_text(
        page(tail=("Port of Sarn reopens after storm", "Grain prices: what to expect"))
    )
    assert "Port of Sarn reopens after storm" not in article.text
    assert_body_intact(article.text)


def test_duplicate_title_is_removed() -> None:
    article = clean_text(TITLE + "\n" + page())
    assert article.text.count(TITLE) == 1


def test_is_cleaning_false_keeps_the_input_exactly() -> None:
    text = " date 2025-03-02 https://harbour.example.com/a\n" + page(
        "Advertisement", tail=("Related", *TEASERS)
    )
    article = clean_text(text, is_cleaning=False)
    assert article.text == text
    assert article.removed == ()
    assert article.title == TITLE
    assert article.url == "https://harbour.example.com/a"
    assert article.published is not None
    assert article.published.isoformat() == "2025-03-02"
    title_block = article.blocks[0]
    assert title_block.kind == "title"
    assert text[title_block.start : title_block.end] == TITLE
    spans = [text[b.start : b.end] for b in article.blocks]
    assert FIRST in spans
    assert "Advertisement" not in spans


def test_link_note_is_cut_from_the_sentence() -> None:
    article = clean_text(
        page("The union cited a report by the port safety board, opens new tab on Friday.")
    )
    assert "The union cited a report by the port safety board on Friday." in article.text
    assert reasons(article)[", opens new tab"] == "link"


def test_mixed_pipe_line_stays_and_gives_no_author() -> None:
    line = "By Mara Velin | Dock workers in Calder met again"
    article = clean_text(page(line))
    assert line in article.text
    assert article.authors == ()


def test_paragraphs_are_lines() -> None:
    article = clean_text(page())
    assert article.text.split("\n") == [TITLE, FIRST, SECOND, THIRD]


def test_short_menu_run_before_headline_is_dropped() -> None:
    text = "Print subscriptions\nSearch jobs\nClimate crisis\n" + page()
    article = clean_text(text)
    assert article.title == TITLE
    assert "Climate crisis" not in article.text


def test_short_title_with_long_standfirst_is_kept() -> None:
    text = "Markets slide\nInvestors sold shares across Europe after weak factory data from China\n"
    article = clean_text(text + FIRST)
    assert article.title == "Markets slide"


def test_labels_between_title_and_body_are_dropped() -> None:
    article = clean_text("\n".join([TITLE, "Analysis", "Washington", "—", FIRST, SECOND]))
    assert article.text.split("\n") == [TITLE, FIRST, SECOND]


def test_tail_with_a_quoted_body_line_keeps_it() -> None:
    quoted = "“We have known for years that these towers are understaffed,” said Kim Osei."
    tail = (
        "Related article",
        "Towers short of staff",
        quoted,
        "Live TV",
        "US",
        "World",
        "Politics",
    )
    article = clean_text(page(tail=tail))
    assert quoted in article.text
    assert "Towers short of staff" not in article.text
    assert "Politics" not in article.text


def test_short_title_survives_section_labels_before_its_standfirst() -> None:
    text = "Markets slide\nBusiness\nLive\nInvestors sold shares across Europe after weak data\n"
    article = clean_text(text + FIRST)
    assert article.title == "Markets slide"


def test_markerless_teasers_with_snippets_at_the_end_are_removed() -> None:
    tail = ("Esk Bay unveils expansion plan", "The port of Esk Bay will add two berths…")
    article = clean_text(page(tail=tail))
    for teaser in tail:
        assert teaser not in article.text
    assert_body_intact(article.text)


@pytest.mark.parametrize(
    "last",
    [
        '"We will win this" he said',
        "The talks will resume next week in Geneva according to the ministry",
    ],
)
def test_last_paragraph_without_full_stop_is_kept(last: str) -> None:
    article = clean_text(page(tail=(last,)))
    assert last in article.text


def test_tail_of_headline_cards_with_blurbs_and_a_quoted_question_goes() -> None:
    cards = (
        "Ferry fares to rise again in spring",
        "Operators blame the cost of fuel.",
        'Mayor says the bridge "will never" close - is she right?',
        "We checked the numbers.",
    )
    article = clean_text(page(tail=("You may also like", *cards)))
    assert_body_intact(article.text)
    for card in cards:
        assert card not in article.text
        assert reasons(article)[card] == "related-tail"


def test_a_paragraph_is_never_promoted_to_title() -> None:
    lead = (
        "Harbourside council voted on Tuesday evening to close the old ferry terminal by the end "
        "of next year, ending more than a century of crossings to the island, after a long and "
        "heated meeting in which residents, traders and two former mayors spoke against the plan."
    )
    article = clean_text("\n".join([lead, FIRST, SECOND]))
    kinds = {article.text[b.start : b.end]: b.kind for b in article.blocks}
    assert kinds[lead] == "paragraph"
    assert "title" not in kinds.values()


@pytest.mark.parametrize(
    ("byline", "language", "names"),
    [
        ("von Mara Velin und Tomas Orrin", "de", ("Mara Velin", "Tomas Orrin")),
        ("Von Mara Velin, Calder", "de", ("Mara Velin",)),
        ("par Luc Orrin, 21 juin 2024", "fr", ("Luc Orrin",)),
    ],
)
def test_bylines_in_other_languages_give_the_authors(
    byline: str, language: str, names: tuple[str, ...]
) -> None:
    article = clean_text(page(byline), language=language)
    assert article.authors == names
    assert reasons(article)[byline] == "byline"


def test_an_english_headline_starting_von_is_not_a_byline() -> None:
    # In English text only English byline words count: "Von" here is a first name.
    headline = "Von Tarrow Sacks Calder Twice"
    article = clean_text(page(headline))
    assert headline in article.text
    assert article.authors == ()


@pytest.mark.parametrize(
    "line",
    [
        "Von den Gewerkschaften abgesehen hat niemand protestiert, sagte Marrow.",
        "Author Ines Marrow said the union would not give up.",
        "Mehr Schiffe liegen seit Montag vor dem Hafen.",
        "The meeting resumes at 1400 GMT on Tuesday, the authority said.",
        "Kommentar",
        "Drucken Sie die Liste aus, sagte Marrow.",
    ],
)
def test_lines_like_bylines_stamps_or_calls_stay(line: str) -> None:
    article = clean_text(page(line))
    assert line in article.text
    assert_body_intact(article.text)


def test_a_copyright_notice_after_a_paragraph_goes_and_the_paragraph_stays() -> None:
    paragraph = (
        "The authority said the new rota would be ready within two weeks of the strike's end, "
        "officials confirmed."
    )
    article = clean_text(page(f"{paragraph} © Harbour News"))
    assert paragraph in article.text
    assert "© Harbour News" not in article.text
    assert reasons(article)["© Harbour News"] == "credit"
