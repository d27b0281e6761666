"""Stance of a statement toward a proposition: supports / opposes / conditional / neutral + act.

Input: (statement, proposition) pairs. Output: ``StanceResult`` per pair.

A hybrid: the fine-tuned MiniLM cross-encoder (``PairScorer``) gives support/oppose polarity;
``_rules.analyse`` gives the condition, the act, negation and a lexical polarity. Combination:

1. a question with no act is ``neutral``;
2. a condition that is not a threat makes the stance ``conditional``;
3. no act, no evaluative word, a model that is unsure (|logit| below ``NEUTRAL_LOGIT``) and
   a clause that reports process (meetings, schedules, documents, figures, dates, no comment)
   gives ``neutral``; so does a bare prediction;
4. otherwise the sign of ``model logit + LEXICON_WEIGHT * lexical polarity`` decides
   ``supports`` vs ``opposes``; the lexical sign is flipped when the proposition itself is
   phrased negatively ("... are withdrawn") and the statement names neither that word nor a
   removal of its own ("the plan to end the tariff").

Step 3 asks for a process report since ``stance.minilm-rules.v2``: news statements that take a
side without any cue word ("the tunnel would drain the budget for a generation") are common,
and falling back to the model's sign beats calling them neutral (tune set, 36 items written
after the rules: macro-F1 0.47 -> 0.72).
"""

from __future__ import annotations

import hashlib
import logging
import math
import re
from collections.abc import MutableMapping, Sequence
from importlib import resources
from pathlib import Path

from onrecord.positions._encoder import PairScorer, SentenceEncoder
from onrecord.positions._records import StanceLabel, StanceResult
from onrecord.positions._rules import analyse, normalise

log = logging.getLogger(__name__)

STANCE_MODEL_NAME = "stance.minilm-rules.v2"
MODEL_FILE = "stance_minilm_v1.npz"
# Chosen on eval/stance/news_tune.jsonl: on news statements the Perspectrum-trained model is
# weaker than cue words, so cues decide and the model speaks alone only when it is very sure.
LEXICON_WEIGHT = 5.0
NEUTRAL_LOGIT = 3.5
MAX_LOGIT = 4.0
_NEGATIVE_PROPOSITION = re.compile(
    r"\b(?:not|no|never|withdraw\w*|end\w*|stop\w*|halt\w*|suspend\w*|remov\w*|ban\w*|drop\w*"
    r"|exclud\w*|abolish\w*|scrap\w*|cancel\w*|lift\w*|leav\w*|reject\w*)\b"
)


_NEGATORS = frozenset({"not", "no", "never"})


def default_model_path() -> Path:
    """Path of the stance weights shipped inside the package."""
    return Path(str(resources.files("onrecord.positions").joinpath("models", MODEL_FILE)))


def _logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return max(-MAX_LOGIT, min(MAX_LOGIT, math.log(p / (1 - p))))


def _flip(proposition: str, clause: str) -> int:
    prop = normalise(proposition)
    match = _NEGATIVE_PROPOSITION.search(prop)
    if match is None:
        return 1
    stem = re.sub(r"(?:es|s|ed|ing)$", "", match.group(0))[:5]
    if stem in clause:
        return 1
    # A clause that names a removal of its own ("the plan to end the tariff" for "... scraps
    # the tariff") judges the removal itself, whatever verb the proposition used.
    removal = _NEGATIVE_PROPOSITION.search(clause)
    return 1 if removal is not None and removal.group(0) not in _NEGATORS else -1


def combine(statement: str, proposition: str, support_probability: float) -> StanceResult:
    """Combine the model's P(support) with the rule cues into a ``StanceResult``."""
    cues = analyse(statement, proposition)
    logit = _logit(support_probability)
    stance: StanceLabel
    if cues.is_question and cues.act == "none":
        stance = "neutral"
    elif cues.condition and not cues.is_threat:
        stance = "conditional"
    elif (
        cues.act == "none"
        and cues.polarity == 0
        and abs(logit) < NEUTRAL_LOGIT
        and cues.is_procedural
    ) or (cues.act == "prediction" and cues.polarity == 0):
        stance = "neutral"
    else:
        score = logit + LEXICON_WEIGHT * cues.polarity * _flip(proposition, cues.clause)
        stance = "supports" if score > 0 else "opposes"
    return StanceResult(
        stance=stance,
        act=cues.act,
        condition=cues.condition if stance == "conditional" else None,
        support_probability=round(float(support_probability), 4),
        cues=cues.fired,
    )


def cache_key(quote_id: int | str, proposition: str) -> str:
    """Key under which a stance result may be cached (model name, quote, proposition)."""
    digest = hashlib.sha1(proposition.encode("utf-8"), usedforsecurity=False).hexdigest()[:12]
    return f"{STANCE_MODEL_NAME}:{quote_id}:{digest}"


class StanceClassifier:
    """Classifies statements against propositions; load once, call many times.

    Args:
        encoder: a loaded ``SentenceEncoder`` (its tokenizer and word table are shared).
        model_path: stance weights; default the shipped ``stance_minilm_v1.npz``.
        use_model: ``False`` runs the rules alone (P(support) fixed at 0.5).
    """

    name = STANCE_MODEL_NAME

    def __init__(
        self,
        encoder: SentenceEncoder | None = None,
        model_path: Path | None = None,
        use_model: bool = True,
    ) -> None:
        self._scorer: PairScorer | None = None
        if use_model:
            self._scorer = PairScorer(
                model_path or default_model_path(), encoder or SentenceEncoder()
            )

    def support_probabilities(
        self, statements: Sequence[str], propositions: Sequence[str]
    ) -> list[float]:
        """The model's P(support) per pair (0.5 each without a model)."""
        if self._scorer is None or not statements:
            return [0.5] * len(statements)
        return [float(p) for p in self._scorer.support_probability(propositions, statements)]

    def classify(self, statement: str, proposition: str) -> StanceResult:
        """Stance of one statement toward one proposition."""
        return self.classify_many([statement], [proposition])[0]

    def classify_many(
        self,
        statements: Sequence[str],
        propositions: Sequence[str],
        keys: Sequence[str] | None = None,
        cache: MutableMapping[str, StanceResult] | None = None,
    ) -> list[StanceResult]:
        """Stances for many pairs, batched through the model.

        Args:
            statements: statement texts.
            propositions: one proposition per statement.
            keys: optional cache keys (see ``cache_key``), one per pair.
            cache: optional mapping to read and fill; results found there skip the model.
        """
        results: list[StanceResult | None] = [None] * len(statements)
        todo: list[int] = []
        for i in range(len(statements)):
            if cache is not None and keys is not None and keys[i] in cache:
                results[i] = cache[keys[i]]
            else:
                todo.append(i)
        probs = self.support_probabilities(
            [statements[i] for i in todo], [propositions[i] for i in todo]
        )
        for i, p in zip(todo, probs, strict=True):
            result = combine(statements[i], propositions[i], p)
            results[i] = result
            if cache is not None and keys is not None:
                cache[keys[i]] = result
        log.debug("stance: %d pairs, %d from cache", len(statements), len(statements) - len(todo))
        return [r for r in results if r is not None]
