"""Issue catalogue: loading, the errors users see, and promoting discovered issues."""

from __future__ import annotations

from pathlib import Path

import pytest

from onrecord.errors import ConfigError
from onrecord.positions import DiscoveredIssue, issue_to_toml, load_catalogue, promote_issue

DEMO_CATALOGUE = Path(__file__).parents[2] / "data" / "issues.toml"

GOOD = """
[[issue]]
id = "league"
label = "Brennmark in the Coastal League"
proposition = "Brennmark joins the Coastal League"
keywords = ["league", "membership"]
examples = ["Brennmark will never join the League."]

[[issue]]
id = "troops"
proposition = "Foreign troops are deployed on the Ostvale border"
"""


def write(tmp_path: Path, text: str, name: str = "issues.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_loads_issues_in_order(tmp_path: Path) -> None:
    catalogue = load_catalogue(write(tmp_path, GOOD))
    assert [i.id for i in catalogue.issues] == ["league", "troops"]
    league = catalogue.issues[0]
    assert league.keywords == ("league", "membership")
    assert league.examples == ("Brennmark will never join the League.",)
    # label falls back to the proposition
    assert catalogue.issues[1].label == "Foreign troops are deployed on the Ostvale border"
    assert catalogue.get("troops") is catalogue.issues[1]


def test_demo_catalogue_loads() -> None:
    assert len(load_catalogue(DEMO_CATALOGUE).issues) == 5


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[issue]\nid = 1", "is not valid TOML"),
        ("title = 'x'", "has no issues"),
        ("issue = []", "non-empty list"),
        ("[[issue]]\nid = 'a'\nlabel = 'A'", "lacks 'proposition'"),
        ("[[issue]]\nlabel = 'A'\nproposition = 'P'", "lacks 'id'"),
        ("[[issue]]\nid = 'Bad Id'\nproposition = 'P'", "has id 'Bad Id'"),
        ("[[issue]]\nid = 'a'\nproposition = 'P'\nkeyword = ['x']", "unknown key(s) ['keyword']"),
        ("[[issue]]\nid = 'a'\nproposition = 'P'\nkeywords = [1]", "'keywords' must be a list"),
        (
            "[[issue]]\nid = 'a'\nproposition = 'P'\n[[issue]]\nid = 'a'\nproposition = 'Q'",
            "issue id 'a' appears twice",
        ),
    ],
)
def test_errors_name_file_and_fix(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_catalogue(path)
    assert message in str(info.value)
    assert str(path) in str(info.value)
    assert str(info.value).startswith("[OR100]")


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot be read"):
        load_catalogue(tmp_path / "nope.toml")


def test_yaml_without_pyyaml_says_what_to_do(tmp_path: Path) -> None:
    path = write(tmp_path, "issue:\n  - id: a\n    proposition: P\n", "issues.yaml")
    try:
        import yaml  # noqa: F401
    except ImportError:
        with pytest.raises(ConfigError, match=r"Use a \.toml file or install PyYAML"):
            load_catalogue(path)
    else:
        assert load_catalogue(path).issues[0].id == "a"


def discovered() -> DiscoveredIssue:
    return DiscoveredIssue(
        id="fishing-rights",
        label="fishing rights / northern waters",
        key_phrases=("fishing rights", "northern waters"),
        quote_ids=(1, 2),
        examples=('Our "northern" waters stay closed.', "Fishing rights are not for sale."),
        cohesion=0.61,
    )


def test_promote_creates_and_appends(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD)
    issue = promote_issue(
        discovered(), path, proposition="Brennmark boats may fish in the northern waters"
    )
    catalogue = load_catalogue(path)
    assert catalogue.issues[-1] == issue
    assert issue.examples[0] == 'Our "northern" waters stay closed.'
    fresh = tmp_path / "new.toml"
    promote_issue(discovered(), fresh, issue_id="fish")
    assert load_catalogue(fresh).issues[0].id == "fish"


def test_promote_refuses_duplicates_and_non_toml(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD)
    with pytest.raises(ConfigError, match="already has issue 'league'"):
        promote_issue(discovered(), path, issue_id="league")
    with pytest.raises(ConfigError, match=r"not a \.toml file"):
        promote_issue(discovered(), tmp_path / "issues.yaml")


def test_issue_to_toml_round_trips(tmp_path: Path) -> None:
    issue = load_catalogue(write(tmp_path, GOOD)).issues[0]
    again = load_catalogue(write(tmp_path, issue_to_toml(issue), "again.toml")).issues[0]
    assert again == issue
