"""Fine-tune the MiniLM cross-encoder for stance polarity on Perspectrum train pairs.

Input: Perspectrum ``train.jsonl`` (claim, perspective, support/undermine). Output: an ``.npz``
of float16 weights (all tensors except the frozen word embeddings, plus a 2-class head) that
``PairScorer`` runs with numpy at inference time.

Deterministic: one thread, fixed seed, fixed order, fixed epochs; dev data is never read here.
Needs torch (``pip install torch==2.13.0``, the CPU wheel) in the training environment only::

    python -m onrecord.positions.train_stance --data /work/shared/data/perspectrum/train.jsonl \
        --out src/onrecord/positions/models/stance_minilm_v1.npz --seed 13
"""

# torch has no type stubs in this environment; the module is checked loosely on purpose.
# mypy: disable-error-code="no-any-return,misc,no-untyped-call"

from __future__ import annotations

import argparse
import json
import logging
import math
import random
import time
from pathlib import Path
from typing import Any

import numpy as np

from onrecord.positions._encoder import (
    HEADS,
    HIDDEN,
    LAYER_NORM_EPS,
    LAYERS,
    WORD_EMBEDDINGS,
    WordPieceTokenizer,
    base_model_dir,
    read_safetensors,
)

log = logging.getLogger(__name__)

LABELS = {"undermine": 0, "support": 1}


def _build_model(torch: Any, weights: dict[str, np.ndarray]) -> Any:
    nn = torch.nn
    f = torch.nn.functional

    class Layer(nn.Module):  # type: ignore[name-defined]
        def __init__(self) -> None:
            super().__init__()
            self.query = nn.Linear(HIDDEN, HIDDEN)
            self.key = nn.Linear(HIDDEN, HIDDEN)
            self.value = nn.Linear(HIDDEN, HIDDEN)
            self.attn_out = nn.Linear(HIDDEN, HIDDEN)
            self.attn_norm = nn.LayerNorm(HIDDEN, eps=LAYER_NORM_EPS)
            self.inter = nn.Linear(HIDDEN, 4 * HIDDEN)
            self.out = nn.Linear(4 * HIDDEN, HIDDEN)
            self.out_norm = nn.LayerNorm(HIDDEN, eps=LAYER_NORM_EPS)
            self.drop = nn.Dropout(0.1)

        def forward(self, x: Any, bias: Any) -> Any:
            b, t, _ = x.shape
            d = HIDDEN // HEADS

            def heads(v: Any) -> Any:
                return v.view(b, t, HEADS, d).transpose(1, 2)

            q, k, v = heads(self.query(x)), heads(self.key(x)), heads(self.value(x))
            scores = q @ k.transpose(-1, -2) / math.sqrt(d) + bias
            probs = self.drop(torch.softmax(scores, dim=-1))
            ctx = (probs @ v).transpose(1, 2).reshape(b, t, HIDDEN)
            x = self.attn_norm(self.drop(self.attn_out(ctx)) + x)
            return self.out_norm(self.drop(self.out(f.gelu(self.inter(x)))) + x)

    class CrossEncoder(nn.Module):  # type: ignore[name-defined]
        def __init__(self) -> None:
            super().__init__()
            self.word = nn.Embedding(30522, HIDDEN)
            self.word.weight.requires_grad = False
            self.position = nn.Embedding(512, HIDDEN)
            self.segment = nn.Embedding(2, HIDDEN)
            self.norm = nn.LayerNorm(HIDDEN, eps=LAYER_NORM_EPS)
            self.layers = nn.ModuleList([Layer() for _ in range(LAYERS)])
            self.drop = nn.Dropout(0.1)
            self.head = nn.Linear(HIDDEN, 2)

        def forward(self, ids: Any, mask: Any, types: Any) -> Any:
            pos = torch.arange(ids.shape[1]).unsqueeze(0)
            x = self.drop(self.norm(self.word(ids) + self.position(pos) + self.segment(types)))
            bias = ((1.0 - mask.float()) * -1e9)[:, None, None, :]
            for layer in self.layers:
                x = layer(x, bias)
            m = mask.unsqueeze(-1).float()
            pooled = (x * m).sum(1) / m.sum(1).clamp(min=1.0)
            return self.head(self.drop(pooled))

    model = CrossEncoder()
    mapping = _name_map()
    state = model.state_dict()
    with torch.no_grad():
        for ours, theirs in mapping.items():
            state[ours].copy_(torch.from_numpy(weights[theirs]))
    return model


def _name_map() -> dict[str, str]:
    names = {
        "word.weight": WORD_EMBEDDINGS,
        "position.weight": "embeddings.position_embeddings.weight",
        "segment.weight": "embeddings.token_type_embeddings.weight",
        "norm.weight": "embeddings.LayerNorm.weight",
        "norm.bias": "embeddings.LayerNorm.bias",
    }
    parts = {
        "query": "attention.self.query",
        "key": "attention.self.key",
        "value": "attention.self.value",
        "attn_out": "attention.output.dense",
        "attn_norm": "attention.output.LayerNorm",
        "inter": "intermediate.dense",
        "out": "output.dense",
        "out_norm": "output.LayerNorm",
    }
    for i in range(LAYERS):
        for ours, theirs in parts.items():
            for kind in ("weight", "bias"):
                names[f"layers.{i}.{ours}.{kind}"] = f"encoder.layer.{i}.{theirs}.{kind}"
    return names


def _read_pairs(path: Path) -> list[tuple[str, str, int]]:
    pairs = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                row = json.loads(line)
                pairs.append(
                    (row["claim"].strip(), row["perspective"].strip(), LABELS[row["stance"]])
                )
    return pairs


def train(
    data: Path,
    out: Path,
    seed: int,
    epochs: int,
    lr: float,
    batch_size: int,
    max_steps: int = 0,
) -> None:
    """Fine-tune and write the float16 ``.npz`` artefact to ``out``.

    ``max_steps`` > 0 stops early (same schedule), for checking that two runs agree.
    """
    import torch

    torch.set_num_threads(1)
    torch.manual_seed(seed)
    torch.use_deterministic_algorithms(True)
    rng = random.Random(seed)  # noqa: S311 - a seeded shuffle, not security
    folder = base_model_dir()
    tokenizer = WordPieceTokenizer(folder / "vocab.txt")
    weights = read_safetensors(folder / "model.safetensors")
    model = _build_model(torch, weights)
    pairs = _read_pairs(data)
    steps_per_epoch = math.ceil(len(pairs) / batch_size)
    total = steps_per_epoch * epochs
    warmup = int(0.1 * total)
    params = [p for p in model.parameters() if p.requires_grad]
    optimiser = torch.optim.AdamW(params, lr=lr, weight_decay=0.01)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser,
        lambda step: min((step + 1) / max(warmup, 1), max(0.0, (total - step) / (total - warmup))),
    )
    model.train()
    started = time.monotonic()
    step = 0
    for epoch in range(epochs):
        order = list(range(len(pairs)))
        rng.shuffle(order)
        running = 0.0
        for start in range(0, len(order), batch_size):
            chunk = [pairs[i] for i in order[start : start + batch_size]]
            batch = tokenizer.batch([c[0] for c in chunk], [c[1] for c in chunk])
            logits = model(
                torch.from_numpy(batch.input_ids),
                torch.from_numpy(batch.attention_mask),
                torch.from_numpy(batch.token_type_ids),
            )
            loss = torch.nn.functional.cross_entropy(logits, torch.tensor([c[2] for c in chunk]))
            optimiser.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            optimiser.step()
            schedule.step()
            step += 1
            running += float(loss.detach())
            if step % 20 == 0:
                log.info(
                    "epoch %d step %d/%d loss %.4f (%.0f s)",
                    epoch + 1,
                    step,
                    total,
                    running / 20,
                    time.monotonic() - started,
                )
                running = 0.0
            if max_steps and step >= max_steps:
                _save(model, out)
                return
    _save(model, out)


def _save(model: Any, out: Path) -> None:
    reverse = _name_map()
    arrays: dict[str, np.ndarray] = {}
    for name, tensor in model.state_dict().items():
        if name == "word.weight":
            continue
        key = reverse.get(name, name)
        arrays[key] = tensor.detach().cpu().numpy().astype(np.float16)
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out, **arrays)  # type: ignore[arg-type]  # numpy stub types **kwds as bool
    log.info("wrote %s (%d tensors)", out, len(arrays))


def main(argv: list[str] | None = None) -> None:
    """Command-line entry: ``python -m onrecord.positions.train_stance``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data/perspectrum/train.jsonl"))
    parser.add_argument(
        "--out", type=Path, default=Path("src/onrecord/positions/models/stance_minilm_v1.npz")
    )
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--lr", type=float, default=5e-5)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--max-steps", type=int, default=0, help="stop after N steps (checks)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    train(args.data, args.out, args.seed, args.epochs, args.lr, args.batch_size, args.max_steps)


if __name__ == "__main__":
    main()
