"""Score stance weights with torch for choices: ``python -m training.stance_score``.

For each ``--weights`` file prints macro-F1 on the Perspectrum claims a training run held out
(``--holdout-claims``, the same seeded sample as ``training.stance_train``) and, for each
``--news`` file, stance and act macro-F1 of the model's own labels. Dev data is scored only when
passed with ``--perspectrum-dev`` (for reports, not for choices). The shipped classifier is
scored by ``onrecord eval stance``.
"""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

import numpy as np
import torch

from onrecord.positions._encoder import pair_tokenizer
from onrecord.positions._evaluate import score_labels
from onrecord.positions._records import ACTS, STANCES
from onrecord.positions._rules import analyse
from training._cli import start
from training.encoder_train import base_model_dir
from training.stance_train import (
    Pair,
    StanceNet,
    batch_inputs,
    claim_holdout,
    data_parser,
    news_pairs,
    perspectrum_pairs,
    read_jsonl,
)

log = logging.getLogger(__name__)


def logits_of(model: StanceNet, tokenizer: object, pairs: list[Pair]) -> np.ndarray:
    """The model's ``[pairs, 11]`` logits (batches of 32, sorted by length)."""
    order = sorted(range(len(pairs)), key=lambda i: len(pairs[i].issue) + len(pairs[i].statement))
    out = np.zeros((len(pairs), len(STANCES) + len(ACTS)), dtype=np.float32)
    with torch.no_grad():
        for begin in range(0, len(order), 32):
            idx = order[begin : begin + 32]
            out[idx] = model(**batch_inputs(tokenizer, [pairs[i] for i in idx])).numpy()
    return out


def polarity_f1(model: StanceNet, tokenizer: object, pairs: list[Pair]) -> float:
    """Macro-F1 of supports vs opposes (the larger of the two logits) on Perspectrum pairs."""
    logits = logits_of(model, tokenizer, pairs)
    sup, opp = STANCES.index("supports"), STANCES.index("opposes")
    predicted = ["supports" if row[sup] >= row[opp] else "opposes" for row in logits]
    gold = [STANCES[p.stance] for p in pairs]
    return score_labels(gold, predicted, ("supports", "opposes"))[1]


def decisions(pairs: list[Pair], logits: np.ndarray) -> dict[str, tuple[list[str], list[str]]]:
    """Stance and act labels per way of combining the model with the rules.

    - ``model``: the model's stance and act;
    - ``model+condition``: a condition the rules find (not a threat) makes the stance
      ``conditional``, else the model's;
    - ``model+rule-act``: the model's stance, the rules' act where they found one.
    """
    stance = [STANCES[i] for i in logits[:, : len(STANCES)].argmax(1)]
    act = [ACTS[i] for i in logits[:, len(STANCES) :].argmax(1)]
    cues = [analyse(p.statement, p.issue) for p in pairs]
    with_condition = [
        "conditional" if c.condition and not c.is_threat else s
        for c, s in zip(cues, stance, strict=True)
    ]
    rule_act = [c.act if c.act != "none" else a for c, a in zip(cues, act, strict=True)]
    return {
        "model": (stance, act),
        "model+condition": (with_condition, act),
        "model+rule-act": (stance, rule_act),
    }


def score(args: argparse.Namespace) -> None:
    """Print the scores of every weights file."""
    torch.set_num_threads(args.threads)
    folder = base_model_dir()
    tokenizer = pair_tokenizer(folder / "tokenizer.json")
    if not args.perspectrum:
        raise SystemExit("--perspectrum (the train.jsonl the weights were trained on) is needed")
    rows = read_jsonl(Path(args.perspectrum))
    held = claim_holdout(rows, args.holdout_claims, args.seed)
    holdout = perspectrum_pairs([r for r in rows if int(r["claim_id"]) in held])
    dev = perspectrum_pairs(read_jsonl(Path(args.perspectrum_dev))) if args.perspectrum_dev else []
    news = {name: news_pairs(read_jsonl(Path(name))) for name in args.news or []}
    for weights in args.weights:
        model = StanceNet(folder)
        model.load_state_dict(torch.load(weights, weights_only=False)["model"])
        model.eval()
        parts = [f"{weights}", f"perspectrum-holdout {polarity_f1(model, tokenizer, holdout):.3f}"]
        if dev:
            parts.append(f"perspectrum-dev {polarity_f1(model, tokenizer, dev):.3f}")
        for name, pairs in news.items():
            logits = logits_of(model, tokenizer, pairs)
            gold_stance = [STANCES[p.stance] for p in pairs]
            gold_act = [ACTS[p.act] for p in pairs]
            for variant, (stance, act) in decisions(pairs, logits).items():
                stance_f1 = score_labels(gold_stance, stance, STANCES)[1]
                act_f1 = score_labels(gold_act, act, ACTS)[1]
                parts.append(
                    f"{Path(name).stem}[{variant}] stance {stance_f1:.3f} act {act_f1:.3f}"
                )
        log.info("%s", "  ".join(parts))


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    parser = data_parser(__doc__)
    parser.add_argument("--weights", nargs="+", required=True, help=".pt files to score")
    parser.add_argument("--perspectrum-dev", default=None, help="Perspectrum dev.jsonl")
    start(score, parser.parse_args(argv))


if __name__ == "__main__":
    main()
