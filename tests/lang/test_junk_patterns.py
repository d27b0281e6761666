"""The cleaning stage reads its page-junk phrases from the article's language folder."""

from __future__ import annotations

import re
from dataclasses import replace

from onrecord.clean._junk import analyse
from onrecord.lang import junk_patterns_for
from onrecord.lang.en import junk as english

BODY = [
    "Le conseil municipal a voté mardi la fermeture du vieux terminal des ferries.",
    "Les commerçants du port ont annoncé qu'ils feraient appel de la décision.",
    "La mairie dit que le service de bus remplacera la traversée dès le printemps.",
]


def test_english_and_unknown_languages_read_the_english_phrases() -> None:
    assert junk_patterns_for("en") is english.PATTERNS
    assert junk_patterns_for("en-GB") is english.PATTERNS
    assert junk_patterns_for(None) is english.PATTERNS
    # No folder for Portuguese: the default language's phrases, never an error.
    assert junk_patterns_for("pt") is english.PATTERNS


def test_a_language_s_own_promo_phrase_drops_its_line() -> None:
    promo = "Abonnez-vous à notre lettre du matin pour recevoir l'essentiel de l'actualité."
    text = "\n".join(["Le terminal des ferries fermera", BODY[0], promo, *BODY[1:]])
    assert promo in [line.text for line in analyse(text).kept]
    french = replace(
        english.PATTERNS,
        strong_rules=(
            *english.PATTERNS.strong_rules,
            ("promo", re.compile(r"abonnez-vous\b.{0,200}", re.IGNORECASE)),
        ),
    )
    kept = [line.text for line in analyse(text, patterns=french).kept]
    assert promo not in kept
    assert [line for line in kept if line in BODY] == BODY
