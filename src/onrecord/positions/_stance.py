"""Stance of a statement toward a proposition: supports / opposes / conditional / neutral + act.

Input: (statement, proposition) pairs. Output: ``StanceResult`` per pair.

``stance.crossencoder.v2`` (the default): a MiniLM cross-encoder fine-tuned on Perspectrum pairs
and onrecord's labelled news statements (``training.stance_train``), run with onnxruntime
(``CrossEncoder``), reads ``[CLS] proposition [SEP] statement [SEP]`` and gives four stance
logits and seven act logits. The stance is the model's, except that a condition
``_rules.analyse`` finds (and that is not a threat: "we will leave unless ...") makes it
``conditional``; the rules also supply the condition text. The act is the one the rules' cue
phrases name ("demanded", "ruled out", "warned"), else the model's; a statement whose act
takes a side (demand, offer, refusal, acceptance, warning) is not neutral, and one in which
the rules find no condition is not conditional; between supports and opposes, the sign of the
model's supports-opposes logit gap plus ``LEXICON_WEIGHT`` times the rules' lexical polarity
decides (cue words such as "ruled out" or "welcomed" outweigh the
model, as in the rules alone). ``support_probability`` is P(supports) / (P(supports) +
P(opposes)). The overrides were chosen on ``eval/stance/news_tune.jsonl`` (see
docs/positions.md, "Measured").

``stance.rules.v2`` (``use_model=False``): the rule cascade alone, as before the cross-encoder:

1. a question with no act is ``neutral``;
2. a condition that is not a threat makes the stance ``conditional``;
3. no act, no evaluative word and a clause that reports process (meetings, schedules,
   documents, figures, dates, no comment) gives ``neutral``; so does a bare prediction;
4. otherwise the sign of the lexical polarity decides ``supports`` vs ``opposes``; the sign is
   flipped when the proposition itself is phrased negatively ("... are withdrawn") and the
   statement names neither that word nor a removal of its own ("the plan to end the tariff").
"""

from __future__ import annotations

import hashlib
import logging
import math
import re
from collections.abc import MutableMapping, Sequence
from pathlib import Path

import numpy as np

from onrecord.positions._encoder import CrossEncoder, TextEncoder
from onrecord.positions._records import ACTS, STANCES, StanceLabel, StanceResult
from onrecord.positions._rules import analyse, normalise

log = logging.getLogger(__name__)

# v2: the same trained weights in a graph whose int8 inputs are scaled per token (v1 scaled
# them per network call and ran one pair per call); logits move by up to about 0.3, so stances
# near a tie, and positions derived before, differ.
STANCE_MODEL_NAME = "stance.crossencoder.v2"
RULES_MODEL_NAME = "stance.rules.v2"
# Weight of the rules' lexical polarity against the model's evidence (the logit of P(support)
# for the rules alone, where it is 0, so cue words decide; the supports-opposes logit gap for
# the cross-encoder, chosen on the tune set).
LEXICON_WEIGHT = 5.0
MAX_LOGIT = 4.0
_NEGATIVE_PROPOSITION = re.compile(
    r"\b(?:not|no|never|withdraw\w*|end\w*|stop\w*|halt\w*|suspend\w*|remov\w*|ban\w*|drop\w*"
    r"|exclud\w*|abolish\w*|scrap\w*|cancel\w*|lift\w*|leav\w*|reject\w*)\b"
)
_NEGATORS = frozenset({"not", "no", "never"})
_SUPPORTS, _OPPOSES = STANCES.index("supports"), STANCES.index("opposes")
_SIDED_ACTS = frozenset({"demand", "offer", "refusal", "acceptance", "warning"})


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
    """The rule cascade (``stance.rules.v2``) with a polarity prior ``support_probability``."""
    cues = analyse(statement, proposition)
    logit = _logit(support_probability)
    stance: StanceLabel
    if cues.is_question and cues.act == "none":
        stance = "neutral"
    elif cues.condition and not cues.is_threat:
        stance = "conditional"
    elif (cues.act == "none" and cues.polarity == 0 and cues.is_procedural) or (
        cues.act == "prediction" and cues.polarity == 0
    ):
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


def _softmax(x: np.ndarray) -> np.ndarray:
    shifted = np.exp(x - x.max())
    out: np.ndarray = shifted / shifted.sum()
    return out


def _as_written(statement: str, condition: str | None) -> str | None:
    """The condition as the statement spells it (the rules read a lower-cased copy)."""
    if condition is None:
        return None
    start = statement.lower().find(condition)
    return statement[start : start + len(condition)] if start >= 0 else condition


def decide(statement: str, proposition: str, logits: np.ndarray) -> StanceResult:
    """A ``StanceResult`` from the cross-encoder's 11 logits and the rules' condition text."""
    stance_p = _softmax(logits[: len(STANCES)])
    act_p = _softmax(logits[len(STANCES) :])
    stance: StanceLabel = STANCES[int(stance_p.argmax())]
    cues = analyse(statement, proposition)
    # An act cue the rules find ("demanded", "ruled out", "warned") names the act; the model's
    # act head speaks for statements without one.
    act = cues.act if cues.act != "none" else ACTS[int(act_p.argmax())]
    if cues.condition and not cues.is_threat:
        # A stated condition the rules find (not a threat) makes the stance conditional.
        stance = "conditional"
    elif stance != "neutral" or act in _SIDED_ACTS:
        # A demand, offer, refusal, acceptance or warning takes a side; cue words ("ruled out",
        # "unacceptable", "welcomed") outweigh the model's supports-opposes gap. A stance is
        # conditional only on a condition the statement states: without one, the model's
        # "conditional" takes the side its supports-opposes gap gives.
        polarity = cues.polarity * _flip(proposition, cues.clause)
        gap = float(logits[_SUPPORTS] - logits[_OPPOSES]) + LEXICON_WEIGHT * polarity
        stance = "supports" if gap >= 0 else "opposes"
    support = float(stance_p[_SUPPORTS] / (stance_p[_SUPPORTS] + stance_p[_OPPOSES]))
    fired = (
        f"model:{stance}:{stance_p.max():.2f}",
        f"model:act:{act}:{act_p.max():.2f}",
        *cues.fired,
    )
    return StanceResult(
        stance=stance,
        act=act,
        condition=_as_written(statement, cues.condition) if stance == "conditional" else None,
        support_probability=round(support, 4),
        cues=fired,
    )


def cache_key(quote_id: int | str, proposition: str) -> str:
    """Key under which a stance result may be cached (model name, quote, proposition)."""
    digest = hashlib.sha1(proposition.encode("utf-8"), usedforsecurity=False).hexdigest()[:12]
    return f"{STANCE_MODEL_NAME}:{quote_id}:{digest}"


class StanceClassifier:
    """Classifies statements against propositions; load once, call many times.

    Args:
        encoder: unused by the cross-encoder (kept so callers that share a sentence encoder
            need not change).
        model_path: the ONNX stance model; default the shipped ``stance_crossencoder.onnx``.
        use_model: ``False`` runs the rules alone (``stance.rules.v2``, P(support) 0.5).
    """

    def __init__(
        self,
        encoder: TextEncoder | None = None,
        model_path: Path | None = None,
        use_model: bool = True,
    ) -> None:
        del encoder
        self._model: CrossEncoder | None = CrossEncoder(model_path) if use_model else None
        self.name = STANCE_MODEL_NAME if use_model else RULES_MODEL_NAME

    def logits(self, statements: Sequence[str], propositions: Sequence[str]) -> np.ndarray:
        """The cross-encoder's ``[pairs, 11]`` logits (zeros without a model)."""
        if self._model is None or not statements:
            return np.zeros((len(statements), len(STANCES) + len(ACTS)), dtype=np.float32)
        return self._model.logits(propositions, statements)

    def support_probabilities(
        self, statements: Sequence[str], propositions: Sequence[str]
    ) -> list[float]:
        """The model's P(supports) against P(opposes) per pair (0.5 each without a model)."""
        logits = self.logits(statements, propositions)
        gap = logits[:, _SUPPORTS] - logits[:, _OPPOSES]
        return [float(p) for p in 1.0 / (1.0 + np.exp(-gap))]

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
        texts = [statements[i] for i in todo]
        props = [propositions[i] for i in todo]
        if self._model is None:
            fresh = [combine(t, p, 0.5) for t, p in zip(texts, props, strict=True)]
        else:
            logits = self._model.logits(props, texts)
            fresh = [decide(t, p, row) for t, p, row in zip(texts, props, logits, strict=True)]
        for i, result in zip(todo, fresh, strict=True):
            results[i] = result
            if cache is not None and keys is not None:
                cache[keys[i]] = result
        log.debug("stance: %d pairs, %d from cache", len(statements), len(statements) - len(todo))
        return [r for r in results if r is not None]
