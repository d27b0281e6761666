"""The numpy sentence encoder: its BLAS thread setting, and vectors that do not depend on it."""

from __future__ import annotations

import numpy as np
import pytest

from onrecord.positions import SentenceEncoder
from onrecord.positions._encoder import limit_blas_threads

TEXTS = [
    "We will never accept foreign monitors at the Orvel weir.",
    "Ferry fees for Ashford traders must come down before the summer.",
    "No.",
]


def test_blas_threads_follow_the_user_setting_when_there_is_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "2")
    assert limit_blas_threads(1) is False
    monkeypatch.delenv("OPENBLAS_NUM_THREADS")
    assert limit_blas_threads(1) is True  # numpy's wheels bundle OpenBLAS


def test_vectors_do_not_depend_on_the_blas_threads(
    encoder: SentenceEncoder, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("OPENBLAS_NUM_THREADS", raising=False)
    try:
        limit_blas_threads(2)
        two = encoder.encode(TEXTS)
    finally:
        limit_blas_threads(1)
    one = encoder.encode(TEXTS)
    assert np.allclose(one, two, atol=1e-6)
    assert np.allclose(np.linalg.norm(one, axis=1), 1.0, atol=1e-5)
    assert float(one[0] @ one[1]) < float(one[0] @ one[0])
