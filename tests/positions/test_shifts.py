"""Timelines and shift detection over hand-made positions (no model needed)."""

from __future__ import annotations

from datetime import date

from onrecord.positions import Position, detect_shifts, timeline

_ids = iter(range(1, 10_000))


def pos(
    stance: str,
    day: date | None,
    *,
    actor: str = "Ilka Dorn",
    issue: str = "troops",
    act: str = "refusal",
    condition: str | None = None,
    score: float = 0.7,
    speaker: str | None = None,
) -> Position:
    n = next(_ids)
    return Position(
        actor=actor,
        speaker=speaker or actor,
        issue_id=issue,
        issue_label=f"{issue} label",
        stance=stance,  # type: ignore[arg-type]
        act=act,  # type: ignore[arg-type]
        condition=condition,
        quote=f"quote {n}",
        quote_id=n,
        article_id=f"a{n}",
        published=day,
        outlet="Tidewire",
        via=(),
        kind="direct",
        link_score=score,
        support_probability=0.5,
    )


MARCH, APRIL, MAY, JUNE = date(2026, 3, 10), date(2026, 4, 2), date(2026, 5, 6), date(2026, 6, 11)


def test_repeats_are_not_shifts() -> None:
    positions = [pos("opposes", d, act="refusal") for d in (MARCH, APRIL, MAY)]
    assert detect_shifts(positions) == []


def test_stance_change_reports_both_ends() -> None:
    first = pos("opposes", MARCH, act="refusal")
    second = pos("opposes", APRIL, act="refusal")
    third = pos("conditional", JUNE, act="acceptance", condition="only if they are unarmed")
    [shift] = detect_shifts([third, first, second])
    assert shift.kind == "stance"
    assert shift.before == second
    assert shift.held_since == first
    assert shift.after == third
    assert "2026-03-10" in shift.summary
    assert "2026-06-11" in shift.summary
    assert shift.to_dict()["after"]["published"] == "2026-06-11"


def test_condition_change_is_a_shift_but_rewording_is_not() -> None:
    a = pos("conditional", MARCH, condition="only if the observers are unarmed")
    b = pos("conditional", APRIL, condition="but only if observers are unarmed")
    c = pos("conditional", JUNE, condition="provided the fees at Port Sallow are halved")
    shifts = detect_shifts([a, b, c])
    assert [(s.kind, s.before, s.after) for s in shifts] == [("condition", b, c)]


def test_passing_remarks_and_weak_links_do_not_make_shifts() -> None:
    positions = [
        pos("opposes", MARCH),
        pos("supports", APRIL, act="none"),
        pos("supports", MAY, act="prediction"),
        pos("supports", JUNE, score=0.45),
    ]
    assert detect_shifts(positions) == []


def test_vague_or_reworded_conditions_are_not_condition_shifts() -> None:
    a = pos("conditional", MARCH, act="acceptance", condition="under strict conditions")
    b = pos("conditional", APRIL, act="acceptance", condition="if they answer to the envoy")
    c = pos("conditional", MAY, act="acceptance", condition="but only if they answer to the envoy")
    assert detect_shifts([a, b, c]) == []


def test_a_condition_stated_the_same_day_qualifies_the_day() -> None:
    before = pos("opposes", MARCH)
    offer = pos("supports", JUNE, act="offer", score=0.9)
    terms = pos("conditional", JUNE, act="offer", condition="only on a reciprocal basis", score=0.6)
    [shift] = detect_shifts([before, offer, terms])
    assert shift.after == terms
    assert shift.evidence == (offer, terms)


def test_neutral_and_undated_positions_do_not_make_shifts() -> None:
    positions = [
        pos("opposes", MARCH),
        pos("neutral", APRIL),
        pos("opposes", MAY),
        pos("supports", None),
    ]
    assert detect_shifts(positions) == []


def test_same_day_is_reduced_to_the_statement_most_about_the_issue() -> None:
    side = pos("supports", MARCH, score=0.45)
    main = pos("opposes", MARCH, score=0.80)
    later = pos("opposes", APRIL, score=0.60)
    assert detect_shifts([side, main, later]) == []


def test_shifts_are_per_actor_and_issue_and_filterable() -> None:
    positions = [
        pos("opposes", MARCH),
        pos("supports", MAY),
        pos("opposes", MARCH, actor="Harbour League"),
        pos("opposes", MAY, actor="Harbour League"),
        pos("supports", MARCH, issue="fees"),
        pos("opposes", JUNE, issue="fees"),
    ]
    shifts = detect_shifts(positions)
    assert {(s.actor, s.issue_id) for s in shifts} == {
        ("Ilka Dorn", "troops"),
        ("Ilka Dorn", "fees"),
    }
    assert [s.issue_id for s in detect_shifts(positions, issue="fees")] == ["fees"]
    assert [s.issue_id for s in detect_shifts(positions, since=JUNE)] == ["fees"]


def test_timeline_orders_by_date_with_undated_last() -> None:
    late, undated, early = pos("supports", JUNE), pos("opposes", None), pos("opposes", MARCH)
    other = pos("opposes", APRIL, actor="Someone Else")
    spoken = pos("opposes", MAY, actor="Harbour League", speaker="Tomas Brek")
    positions = [late, undated, early, other, spoken]
    assert timeline(positions, "ilka dorn") == [early, late, undated]
    assert timeline(positions, "Ilka Dorn", issue="fees") == []
    assert timeline(positions, "Tomas Brek") == [spoken]
    assert timeline(positions, "Harbour League", issue="troops label") == [spoken]
