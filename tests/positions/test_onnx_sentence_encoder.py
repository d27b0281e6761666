"""The shipped int8 ONNX sentence encoder against the numpy MiniLM it was written from."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from onrecord._onnx import open_session
from onrecord.errors import ExtractError
from onrecord.positions import OnnxSentenceEncoder, SentenceEncoder
from onrecord.positions._encoder import MAX_TOKENS, default_sentence_encoder_path

TEXTS = [
    "We will never accept foreign monitors at the Orvel weir.",
    "Unarmed observers from the river commission can visit the weir once a month.",
    "Ferry fees for Ashford traders must come down before the summer, the harbour master said.",
    "Veldora lets international monitors work at the Kessel Dam",
    "customs checks",
    "No.",
    "Café owners in Sélestat want the tolls scrapped.",
]
# Int8 weights and activations move a vector a little: cosine to the float vector at least
# LEAST_COSINE per text (0.9975 at worst and 0.9987 on average over the 406 held-out news
# statements; a one-word text such as "No." moves most: 0.9886 on the CPU the graph was
# exported on, 0.975 on an AVX2 CPU without VNNI, whose int8 kernels round differently),
# and a pair of texts' similarity, which is what linking compares with its 0.42 threshold, by
# at most SIMILARITY_DIFF (0.032 at worst on the AVX2 CPU).
LEAST_COSINE = 0.97
SIMILARITY_DIFF = 0.04
# A text's vector alone and within a batch (float rounding only; measured 4.5e-8).
BATCH_ROUNDING = 1e-6


def test_onnx_vectors_equal_the_numpy_encoders_within_int8_rounding(
    onnx_encoder: OnnxSentenceEncoder, encoder: SentenceEncoder
) -> None:
    got = onnx_encoder.encode(TEXTS)
    want = encoder.encode(TEXTS)
    assert got.shape == want.shape == (len(TEXTS), 384)
    assert np.allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)
    assert (np.sum(got * want, axis=1) >= LEAST_COSINE).all()
    assert np.abs(got @ got.T - want @ want.T).max() <= SIMILARITY_DIFF
    # The paraphrase stays nearer than the unrelated statement, as in the float model.
    assert float(got[0] @ got[1]) > float(got[0] @ got[2]) + 0.1


def test_the_runtime_tokenizer_gives_the_numpy_encoders_word_pieces(
    onnx_encoder: OnnxSentenceEncoder, encoder: SentenceEncoder
) -> None:
    long_text = "The council met again about the ferry fees and the weir. " * 30
    for text in [*TEXTS, long_text]:
        ids = onnx_encoder.tokenizer.encode(text).ids
        assert ids == encoder.tokenizer.batch([text]).input_ids[0].tolist(), text
    assert len(onnx_encoder.tokenizer.encode(long_text).ids) == MAX_TOKENS


def test_a_texts_vector_does_not_depend_on_the_texts_encoded_with_it(
    onnx_encoder: OnnxSentenceEncoder,
) -> None:
    # Run in batches of every size, padded to the longest text of the batch: only float
    # rounding may differ (one scale per token, never per call).
    together = onnx_encoder.encode(TEXTS)
    reordered = onnx_encoder.encode(TEXTS[::-1])
    in_twos = OnnxSentenceEncoder(batch_size=2).encode(TEXTS)
    for row, text in enumerate(TEXTS):
        alone = onnx_encoder.encode([text])[0]
        assert np.allclose(alone, together[row], atol=BATCH_ROUNDING, rtol=0), text
        assert np.allclose(alone, in_twos[row], atol=BATCH_ROUNDING, rtol=0), text
    assert np.allclose(reordered[::-1], together, atol=BATCH_ROUNDING, rtol=0)
    assert onnx_encoder.encode([]).shape == (0, 384)


def test_a_missing_model_file_names_the_export_command(tmp_path: Path) -> None:
    with pytest.raises(ExtractError, match=r"training\.sentence_export"):
        OnnxSentenceEncoder(tmp_path / "missing.onnx")


def test_vectors_are_the_same_with_onnxruntimes_memory_plan(
    onnx_encoder: OnnxSentenceEncoder,
) -> None:
    # The encoder's session keeps no memory plan per input shape; one that does must give
    # the same bits, whatever shapes it has planned for before.
    planned = OnnxSentenceEncoder()
    planned._session = open_session(
        default_sentence_encoder_path(), 1, "sentence encoder", "export", plans_memory=True
    )
    for texts in (TEXTS, TEXTS[:3], TEXTS[::-1], TEXTS):
        assert np.array_equal(planned.encode(texts), onnx_encoder.encode(texts))
