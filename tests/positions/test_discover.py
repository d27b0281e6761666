"""Issue discovery: paraphrases group together, unrelated statements stay apart."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pytest

from onrecord.positions import (
    SentenceEncoder,
    cluster,
    discover_issues,
    label_groups,
    load_phrase_parser,
    merge_near_duplicates,
    noun_phrases,
)
from onrecord.positions._discover import MAX_LABEL_WORDS, candidate_phrases, key_phrases

if TYPE_CHECKING:
    from spacy.language import Language

STATEMENTS = [
    "Foreign monitors at the Kessel dam are unacceptable to Veldora.",
    "Veldora rules out international monitors at the Kessel dam.",
    "We will never let foreign monitors into the Kessel dam.",
    "Port fees for Veldoran barges must come down.",
    "The fees charged to Veldoran barges at the port are far too high.",
    "Barge fees at the port should be halved.",
    "The weather in Lindhaven was sunny on Tuesday.",
]


def test_cluster_on_toy_vectors() -> None:
    vectors = np.array([[1, 0], [0.99, 0.14], [0, 1], [0.1, 0.99]], dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    assert cluster(vectors, threshold=0.9) == [[0, 1], [2, 3]]
    assert cluster(vectors, threshold=0.999) == [[0], [1], [2], [3]]
    assert cluster(np.zeros((0, 2), dtype=np.float32)) == []


def test_paraphrases_group_and_unrelated_stay_apart(encoder: SentenceEncoder) -> None:
    vectors = encoder.encode(STATEMENTS)
    found = discover_issues(list(range(len(STATEMENTS))), STATEMENTS, vectors)
    groups = sorted(sorted(d.quote_ids) for d in found)
    assert groups == [[0, 1, 2], [3, 4, 5]]
    labels = {d.quote_ids[0]: d for d in found}
    assert "monitors" in " ".join(labels[0].key_phrases)
    assert any("fees" in p or "barge" in p for p in labels[3].key_phrases)
    issue = labels[0].to_issue()
    assert issue.keywords == labels[0].key_phrases


def test_key_phrases_prefer_distinctive_phrases() -> None:
    groups = [
        ["the kessel dam monitors", "kessel dam monitors again", "talks talks"],
        ["barge fees", "barge fees are high", "talks talks"],
    ]
    phrases = key_phrases(groups)
    assert phrases[0][0] == "kessel dam monitors"
    assert phrases[1][0] == "barge fees"
    assert "said" not in candidate_phrases("Kroll said the monitors")


@pytest.fixture(scope="module")
def parser() -> Language:
    return load_phrase_parser()


def _forms(parser: Language, text: str, names: tuple[str, ...] = ()) -> list[str]:
    (found,) = noun_phrases(parser, [text], names)
    return [form for _, form in found]


def test_noun_phrases_leave_out_names_pronouns_and_determiners(parser: Language) -> None:
    forms = _forms(
        parser,
        "Ilse Marrow told the Ashford Courier that our ferry fees are far too high for anybody.",
        names=("Ilse Marrow", "Ashford Courier"),
    )
    assert "ferry fees" in forms
    assert not any("marrow" in f.lower() or "courier" in f.lower() for f in forms)
    assert not any(f.split()[0] in {"the", "our", "a"} for f in forms)
    assert "anybody" not in forms


def test_noun_phrases_are_no_quote_fragments(parser: Language) -> None:
    text = "I said it in February and I will say it in August if I must: nobody gets to stand here."
    forms = _forms(parser, text)
    assert all(len(f.split()) <= MAX_LABEL_WORDS for f in forms)
    assert not any(word in f.split() for f in forms for word in ("i", "it", "nobody", "must"))


@pytest.mark.parametrize(
    ("group", "label"),
    [
        (
            [
                "The harbour tolls must come down before winter.",
                "Nobody in Corvale can pay the harbour tolls any longer.",
                "We will review the harbour tolls in spring, the minister said.",
            ],
            "harbour tolls",
        ),
        (
            [
                "A second rail bridge over the Sallow is long overdue.",
                "The council has no money for a rail bridge this decade.",
            ],
            "rail bridge",
        ),
    ],
)
def test_a_group_is_labelled_by_the_noun_phrase_its_statements_share(
    parser: Language, group: list[str], label: str
) -> None:
    other = ["The school term starts on Monday in Corvale.", "Schools reopen after the floods."]
    labels = label_groups([noun_phrases(parser, group), noun_phrases(parser, other)])
    assert labels[0] == label


def test_a_group_sharing_no_noun_phrase_has_no_label(parser: Language) -> None:
    group = ["It is what it is.", "We said what we said."]
    assert label_groups([noun_phrases(parser, group)]) == [None]


def test_discovered_labels_are_shared_noun_phrases_never_names(
    encoder: SentenceEncoder, parser: Language
) -> None:
    names = ["Ilse Marrow", "Tidewire"]
    texts = [f"{t} Ilse Marrow told Tidewire." for t in STATEMENTS]
    found = discover_issues(
        list(range(len(texts))),
        texts,
        encoder.encode(texts),
        phrases=noun_phrases(parser, texts, names),
        names=names,
    )
    assert sorted(sorted(d.quote_ids) for d in found) == [[0, 1, 2], [3, 4, 5]]
    for issue in found:
        label = issue.label.lower()
        shared = [texts[q] for q in issue.quote_ids if label in texts[q].lower()]
        assert len(shared) >= 2, issue
        assert "marrow" not in label
        assert "tidewire" not in label
        assert len(label.split()) <= MAX_LABEL_WORDS


def test_near_duplicate_groups_merge() -> None:
    vectors = np.array([[1, 0], [0.98, 0.2], [0, 1], [0.1, 0.99], [0.7, 0.7]], dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    groups = [[0], [1], [2, 3], [4]]
    merged = merge_near_duplicates(groups, ["dam", "dam", "tolls", None], vectors)
    assert merged == [[0, 1], [2, 3], [4]]
    far = merge_near_duplicates(groups, ["dam", "weir", "tolls", None], vectors, similarity=0.99)
    assert far == [[2, 3], [0], [1], [4]]
