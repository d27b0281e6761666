"""Encoder tagger: parsed ``Doc`` -> tags per token from a fine-tuned MiniLM run with onnxruntime.

The tagging units are the CRF's (paragraphs, long ones sliced at sentences; ``_features``). Each
unit's words are split into word pieces and cut into windows of at most ``MAX_PIECES`` pieces; a
window is ``[CLS] pieces [SEP]``. The network reads the pieces and a per-piece flag "inside a
quotation" and gives three O/B/I label layers (cue, source, content) per piece; a word takes the
logits of its first piece. Layers are merged into one tag per word with the priority the gold
labels use (cue over source over content), so the rest of the cascade in ``_extractor`` reads the
same tags and marginals it reads from the CRF.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from onrecord.errors import ExtractError
from onrecord.extract._extractor import Tagged, require_files
from onrecord.extract._features import Sequences, doc_features

if TYPE_CHECKING:
    import onnxruntime
    from spacy.tokens import Doc
    from tokenizers import Tokenizer

ENCODER_NAME = "attrib.encoder.v1"
ENCODER_FILE = "attrib_encoder.onnx"
TOKENIZER_FILE = "encoder_tokenizer.json"
ENCODER_META_FILE = "encoder.json"
# Layers of the network's output, in order; each has the labels O, B, I.
LAYERS = ("CUE", "SOURCE", "CONTENT")
LABELS_PER_LAYER = 3
# Word pieces per window, without [CLS] and [SEP].
MAX_PIECES = 254
# Most windows per network call. An article's windows (mostly paragraphs, 48 pieces on average
# with [CLS] and [SEP] on PolNeAR dev) are sorted by length and split into batches of at most
# this many (``length_batches``). Sorting
# the windows of many articles together pads less (all dev windows, one thread, CPU s, best of
# 3: 8 per call across articles 9.3, 4 within each article 10.9, 1 10.9), but dynamic int8 then
# makes an article's output depend on the articles it was batched with, so calls stay within
# one article.
DEFAULT_BATCH_SIZE = 8
# What one network call costs beyond its pieces, in padded word pieces: an article's sorted
# windows are split into calls of at most DEFAULT_BATCH_SIZE so as to minimize the padded pieces
# plus this much per call (``length_batches``). Plain runs of 8 padded PolNeAR dev's windows to
# 1.30 times their pieces; split with 60 (or 30), 1.14 (1.08) times, and the network took 25%
# (23%) less CPU time (docs/evaluation.md). -1 cuts plain runs.
DEFAULT_CALL_PIECES = 60
# A word of more pieces than this (a URL, a run of symbols) keeps only its first ones.
MAX_WORD_PIECES = 16


@dataclass(frozen=True, slots=True)
class Window:
    """One network input: piece ids with the quotation flag, and where each word starts.

    ``words`` are doc token indices; ``first[k]`` is the position in ``ids`` of the first piece
    of ``words[k]``.
    """

    ids: list[int]
    in_quote: list[int]
    words: list[int]
    first: list[int]


@dataclass(frozen=True, slots=True)
class EncoderModel:
    """The onnxruntime session, its tokenizer and run settings.

    Its confidences are the raw mean tag probabilities: the CRF's calibration map was not
    fitted on them, so ``calibration`` is always ``None``.
    """

    session: onnxruntime.InferenceSession
    tokenizer: Tokenizer
    batch_size: int = DEFAULT_BATCH_SIZE
    call_pieces: int = DEFAULT_CALL_PIECES
    name: str = ENCODER_NAME
    calibration: None = None

    def tag(self, doc: Doc) -> Tagged:
        """Tags per unit and the probability of each token's tag (see ``encoder_tag_doc``)."""
        return encoder_tag_doc(doc, self)

    def tag_many(self, docs: Sequence[Doc]) -> list[Tagged]:
        """``tag`` for several docs, their windows read in shared batches."""
        return encoder_tag_docs(docs, self)


def windows(
    tokenizer: Tokenizer, words: list[str], units: list[list[int]], in_quote: list[bool]
) -> list[Window]:
    """Cut the units of a doc into network windows.

    Args:
        tokenizer: The encoder's word-piece tokenizer (truncation and padding off).
        words: The text of every doc token.
        units: Token indices per tagging unit.
        in_quote: Per doc token, whether it lies inside a quotation.

    Returns:
        The windows, in unit order.
    """
    cls_id, sep_id, unk_id = (_special(tokenizer, name) for name in ("[CLS]", "[SEP]", "[UNK]"))
    if not units:
        return []
    encodings = tokenizer.encode_batch(
        [[words[i] for i in unit] for unit in units], is_pretokenized=True, add_special_tokens=False
    )
    out: list[Window] = []
    for unit, encoding in zip(units, encodings, strict=True):
        pieces: list[list[int]] = [[] for _ in unit]
        for piece, word in zip(encoding.ids, encoding.word_ids, strict=True):
            if word is not None and len(pieces[word]) < MAX_WORD_PIECES:
                pieces[word].append(piece)
        ids: list[int] = [cls_id]
        flags: list[int] = [0]
        kept: list[int] = []
        first: list[int] = []
        for k, token in enumerate(unit):
            word_pieces = pieces[k] or [unk_id]
            if len(ids) - 1 + len(word_pieces) > MAX_PIECES and kept:
                out.append(Window([*ids, sep_id], [*flags, 0], kept, first))
                ids, flags, kept, first = [cls_id], [0], [], []
            first.append(len(ids))
            kept.append(token)
            ids.extend(word_pieces)
            flags.extend([int(in_quote[token])] * len(word_pieces))
        out.append(Window([*ids, sep_id], [*flags, 0], kept, first))
    return out


def _special(tokenizer: Tokenizer, name: str) -> int:
    """The id of a special token.

    Raises:
        ExtractError: The tokenizer does not know it (not a BERT word-piece tokenizer).
    """
    found = tokenizer.token_to_id(name)
    if found is None:
        raise ExtractError(
            f"[{ExtractError.code}] the encoder's tokenizer has no {name} token; "
            "rebuild the model with `make train-accurate`."
        )
    return found


def batch_arrays(batch: list[Window]) -> dict[str, np.ndarray]:
    """Pad windows into the network's int64 inputs."""
    width = max(len(w.ids) for w in batch)
    ids = np.zeros((len(batch), width), dtype=np.int64)
    mask = np.zeros((len(batch), width), dtype=np.int64)
    quote = np.zeros((len(batch), width), dtype=np.int64)
    for row, window in enumerate(batch):
        n = len(window.ids)
        ids[row, :n] = window.ids
        mask[row, :n] = 1
        quote[row, :n] = window.in_quote
    return {"input_ids": ids, "attention_mask": mask, "in_quote": quote}


def layer_probabilities(logits: np.ndarray) -> np.ndarray:
    """Softmax within each label layer: ``[..., 9]`` logits -> ``[..., 3, 3]`` probabilities."""
    shaped = logits.reshape(*logits.shape[:-1], len(LAYERS), LABELS_PER_LAYER)
    shifted = np.exp(shaped - shaped.max(axis=-1, keepdims=True))
    probs: np.ndarray = shifted / shifted.sum(axis=-1, keepdims=True)
    return probs


def merge_layers(probs: np.ndarray) -> tuple[list[str], list[float]]:
    """One tag per word from its ``[3, 3]`` layer probabilities, and that tag's probability.

    The first layer (in ``LAYERS`` order) whose best label is not ``O`` gives the tag.
    """
    tags: list[str] = []
    chosen: list[float] = []
    best = probs.argmax(axis=-1)
    for word in range(probs.shape[0]):
        tag, p = "O", 1.0
        for layer, role in enumerate(LAYERS):
            label = int(best[word, layer])
            if label:
                tag = ("B-" if label == 1 else "I-") + role
                p = float(probs[word, layer, label])
                break
        tags.append(tag)
        chosen.append(p)
    return tags, chosen


def length_batches(cut: list[Window], most: int, call_pieces: int) -> list[list[Window]]:
    """Split windows sorted by length into network calls of at most ``most`` windows.

    Each call pads its windows to its longest, and each call has a fixed cost; the split
    minimizes the padded pieces plus ``call_pieces`` per call (dynamic programming over the
    sorted windows), so a short window is not padded to a long one when a call of its own
    costs less. It depends on the windows' lengths alone. ``call_pieces`` below 0 cuts plain
    runs of ``most``.
    """
    if call_pieces < 0:
        return [cut[begin : begin + most] for begin in range(0, len(cut), most)]
    cost = [0] * (len(cut) + 1)
    start = [0] * (len(cut) + 1)
    for end in range(1, len(cut) + 1):
        width = len(cut[end - 1].ids)
        cost[end], start[end] = min(
            (cost[begin] + (end - begin) * width + call_pieces, begin)
            for begin in range(max(0, end - most), end)
        )
    out: list[list[Window]] = []
    end = len(cut)
    while end:
        out.append(cut[start[end] : end])
        end = start[end]
    return out[::-1]


def word_logits(model: EncoderModel, batch: list[Window]) -> list[np.ndarray]:
    """Network logits at the first piece of every word, one ``[words, 9]`` array per window."""
    (logits,) = model.session.run(["logits"], batch_arrays(batch))
    return [logits[row, window.first] for row, window in enumerate(batch)]


def encoder_probabilities(
    doc: Doc, seqs: Sequences, model: EncoderModel, units: list[list[int]] | None = None
) -> np.ndarray:
    """Per doc token, the ``[3, 3]`` layer probabilities (tokens outside ``units``: all ``O``).

    ``units`` defaults to every unit of ``seqs``.
    """
    return batch_probabilities([(doc, seqs, seqs.units if units is None else units)], model)[0]


def batch_probabilities(
    items: Sequence[tuple[Doc, Sequences, list[list[int]]]], model: EncoderModel
) -> list[np.ndarray]:
    """``encoder_probabilities`` for several docs, their windows read together.

    Each doc's windows are sorted by length and split into calls of at most
    ``model.batch_size`` (``length_batches``, by the windows' lengths alone); a call never
    mixes docs. The network's dynamic int8 quantizes each call's inputs with one
    scale, so a window's probabilities move a little with the windows it shares a call with:
    keeping calls within one doc makes an article's output depend on that article alone, the
    same whether it is extracted on its own or inside any batch of others.

    Args:
        items: Per doc, the doc, its units and flags, and the units the encoder reads.
        model: The encoder.

    Returns:
        Per doc, a ``[tokens, 3, 3]`` array.
    """
    out: list[np.ndarray] = []
    for doc, seqs, units in items:
        probs = np.zeros((len(doc), len(LAYERS), LABELS_PER_LAYER), dtype=np.float32)
        probs[:, :, 0] = 1.0
        out.append(probs)
        words = [t.text for t in doc] if units else []
        cut = sorted(
            windows(model.tokenizer, words, units, seqs.in_quote), key=lambda w: len(w.ids)
        )
        for batch in length_batches(cut, model.batch_size, model.call_pieces):
            logits = word_logits(model, batch)
            for window, word_logit in zip(batch, logits, strict=True):
                probs[window.words] = layer_probabilities(word_logit)
    return out


def encoder_tag_doc(
    doc: Doc, model: EncoderModel
) -> tuple[Sequences, list[list[str]], list[float]]:
    """Tag every unit of ``doc`` with the encoder (same return shape as the CRF's ``tag_doc``).

    Returns:
        The units, their tags, and per token the probability of its tag.
    """
    return encoder_tag_docs([doc], model)[0]


def encoder_tag_docs(docs: Sequence[Doc], model: EncoderModel) -> list[Tagged]:
    """``encoder_tag_doc`` for several docs, their windows read together."""
    all_seqs = [doc_features(doc, {}, has_features=False) for doc in docs]
    probs = batch_probabilities(
        [(doc, seqs, seqs.units) for doc, seqs in zip(docs, all_seqs, strict=True)], model
    )
    out: list[Tagged] = []
    for seqs, layers in zip(all_seqs, probs, strict=True):
        tag_of, prob = merge_layers(layers)
        out.append((seqs, [[tag_of[i] for i in unit] for unit in seqs.units], prob))
    return out


def load_encoder(
    model_dir: Path,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    call_pieces: int = DEFAULT_CALL_PIECES,
    threads: int = 1,
) -> EncoderModel:
    """Load the ONNX tagger and its tokenizer from ``model_dir``.

    Args:
        model_dir: Folder holding ``attrib_encoder.onnx`` and ``encoder_tokenizer.json``.
        batch_size: Most windows per network call.
        call_pieces: The fixed cost of a network call in padded word pieces
            (``length_batches``); -1 cuts runs of ``batch_size``.
        threads: onnxruntime intra-op threads (one per process is fastest on a shared machine).

    Raises:
        ExtractError: A file is missing or unreadable, or onnxruntime is not installed.
    """
    model_path, tokenizer_path = require_files(
        model_dir, (ENCODER_FILE, TOKENIZER_FILE), "encoder tagger", "make train-accurate"
    )
    from tokenizers import Tokenizer

    from onrecord._onnx import open_session

    session = open_session(model_path, threads, "encoder tagger", "make train-accurate")
    try:
        tokenizer = Tokenizer.from_file(str(tokenizer_path))
    except Exception as exc:  # tokenizers raises its own untyped errors for bad files
        raise ExtractError(
            f"[{ExtractError.code}] cannot read the encoder tokenizer in {model_dir}: {exc}; "
            "rebuild it with `make train-accurate`."
        ) from exc
    tokenizer.no_truncation()
    tokenizer.no_padding()
    return EncoderModel(session, tokenizer, batch_size, call_pieces)


def read_encoder_meta(model_dir: Path) -> dict[str, object]:
    """The training record written next to the encoder (empty when absent)."""
    path = model_dir / ENCODER_META_FILE
    if not path.is_file():
        return {}
    meta: dict[str, object] = json.loads(path.read_text("utf-8"))
    return meta
