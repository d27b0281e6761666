"""Issue discovery: paraphrases group together, unrelated statements stay apart."""

from __future__ import annotations

import numpy as np

from onrecord.positions import SentenceEncoder, cluster, discover_issues
from onrecord.positions._discover import candidate_phrases, key_phrases

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
