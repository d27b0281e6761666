"""Stance rules: each class and act, negation, conditions (rule cascade alone, no model)."""

from __future__ import annotations

import pytest

from onrecord.positions import StanceClassifier
from onrecord.positions._rules import analyse, find_condition, normalise

TROOPS = "Foreign troops are deployed on the Ostvale border"
GUARANTEES = "The Coastal League gives Brennmark guarantees of its own"
MEMBERSHIP = "Brennmark joins the Coastal League"


@pytest.mark.parametrize(
    ("statement", "proposition", "stance", "act"),
    [
        (
            "Minister Ilka Dorn ruled out foreign troops on Ostvale soil.",
            TROOPS,
            "opposes",
            "refusal",
        ),
        ("Foreign troops on our border are unacceptable, Dorn said.", TROOPS, "opposes", "refusal"),
        ("We will never accept foreign soldiers here.", TROOPS, "opposes", "refusal"),
        ("The League will not offer guarantees of its own.", GUARANTEES, "opposes", "refusal"),
        ("We will not compromise on this: no foreign troops.", TROOPS, "opposes", "refusal"),
        ("The League demanded that Brennmark join by June.", MEMBERSHIP, "supports", "demand"),
        (
            "The League offered Brennmark guarantees on port access.",
            GUARANTEES,
            "supports",
            "offer",
        ),
        (
            "Brennmark welcomed the League's decision to admit it.",
            MEMBERSHIP,
            "supports",
            "acceptance",
        ),
        (
            "Brennmark is ready to accept unarmed observers, but only if they report to the envoy.",
            TROOPS,
            "conditional",
            "acceptance",
        ),
        (
            "We are ready to guarantee fair fees, but only on a reciprocal basis.",
            GUARANTEES,
            "conditional",
            "offer",
        ),
        (
            "Brennmark will join only if its fishing rights are protected.",
            MEMBERSHIP,
            "conditional",
            "none",
        ),
        (
            "Dorn warned that troops on the border would start a war.",
            TROOPS,
            "opposes",
            "warning",
        ),
        (
            "Dorn warned that without guarantees from the League there would be no deal.",
            GUARANTEES,
            "supports",
            "warning",
        ),
        ("The next round of talks opens on Monday.", MEMBERSHIP, "neutral", "none"),
        ("Will Brennmark join the League?", MEMBERSHIP, "neutral", "none"),
        (
            "Brennmark will probably join next year, an analyst said.",
            MEMBERSHIP,
            "neutral",
            "prediction",
        ),
        ("Brennmark does not support joining the League.", MEMBERSHIP, "opposes", "none"),
        (
            "Dorn rejected calls to drop Brennmark's bid to join the League.",
            MEMBERSHIP,
            "supports",
            "refusal",
        ),
    ],
)
def test_rule_stance_and_act(
    rules_only: StanceClassifier, statement: str, proposition: str, stance: str, act: str
) -> None:
    result = rules_only.classify(statement, proposition)
    assert (result.stance, result.act) == (stance, act), result.cues


def test_dropping_a_bid_flips_nothing_when_the_statement_rejects_the_drop(
    rules_only: StanceClassifier,
) -> None:
    # The proposition is negatively phrased ("drops"); rejecting the drop opposes it.
    result = rules_only.classify(
        "Dorn refused to drop the bid.", "Brennmark drops its bid to join the League"
    )
    assert result.stance == "opposes"


@pytest.mark.parametrize(
    ("statement", "condition"),
    [
        ("we accept observers, but only if they are unarmed", "but only if they are unarmed"),
        ("ready to sign, but only on a reciprocal basis", "but only on a reciprocal basis"),
        ("we will sign provided the fees are cut", "provided the fees are cut"),
        ("we will join as long as the quota is shared", "as long as the quota is shared"),
        ("no deal unless the guns are withdrawn", "unless the guns are withdrawn"),
        ("if the fees fall, we will sign, dorn said", "if the fees fall, we will sign"),
        ("we will stay for as long as there are two chairs", None),
        ("we will sign even if the fees stay high", None),
        ("we reject the plan", None),
    ],
)
def test_condition_text(statement: str, condition: str | None) -> None:
    assert find_condition(normalise(statement)) == condition


def test_condition_is_returned_with_conditional_stance(rules_only: StanceClassifier) -> None:
    result = rules_only.classify(
        "Brennmark could accept League troops in wartime, but only if parliament votes first.",
        TROOPS,
    )
    assert result.stance == "conditional"
    assert result.condition == "but only if parliament votes first"


def test_threat_with_unless_is_not_a_condition(rules_only: StanceClassifier) -> None:
    result = rules_only.classify(
        "Dorn warned that Ostvale would leave the talks unless the troops went home.", TROOPS
    )
    assert result.stance != "conditional"
    assert result.act == "warning"
    assert result.condition is None


@pytest.mark.parametrize(
    ("statement", "negated"),
    [
        ("We do not accept the plan.", True),
        ("We accept the plan.", False),
        ("We cannot accept the plan.", True),
        ("We won't offer anything.", True),
    ],
)
def test_negated_acceptance_or_offer_is_refusal(statement: str, negated: bool) -> None:
    cues = analyse(statement, "The plan is adopted")
    assert (cues.act == "refusal") is negated


def test_mixed_quote_uses_the_clause_about_the_proposition(rules_only: StanceClassifier) -> None:
    result = rules_only.classify(
        "We welcome the offer on fees, but foreign troops on our border are unacceptable.", TROOPS
    )
    assert result.stance == "opposes"
    assert result.act == "refusal"


def test_noun_demand_is_not_an_act() -> None:
    cues = analyse("The League's demand is absurd.", MEMBERSHIP)
    assert cues.act == "none"
    assert cues.polarity == -1
