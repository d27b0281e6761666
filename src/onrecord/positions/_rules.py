"""Rules for the parts of stance a polarity model does not see: conditions, acts, negation.

Input: a statement and a proposition. Output: a ``Cues`` record (condition text, act, lexical
polarity, clause used) that ``_stance.classify`` combines with the learned polarity.

Order of work:
1. normalise quote marks and contractions ("won't" -> "will not");
2. split into clauses (sentences, "but", ";", "while"; never before "but only"/"but not") and
   keep the clause that shares most content words with the proposition;
3. find a condition ("only if", "only on a ... basis", "provided", "unless", "as long as",
   "if X, Y", "on those terms"); "even if" and "whether or not" are concessions, not conditions;
4. find the act from cue phrases in priority order (warning, refusal, acceptance, offer, demand,
   prediction); a negated offer or acceptance becomes a refusal; "declined to comment" is no
   act, and "did not rule out" is a hedge, not a refusal;
5. lexical polarity: refusal and negative evaluations count -1, acceptance, offers, demands and
   positive evaluations +1, each flipped by a negator within three words before it; refusing
   a reversal ("refused to delay", "will not drop") counts +1; a warning counts +1 when it
   warns of an absence ("without X ...", "unless X"), else -1; harm credited to the proposal
   ("would bankrupt the region") counts -1, gains and commitment ("overdue", "would create
   jobs", "determined to") +1;
6. whether the clause reports process (talks, meetings, schedules, figures, dates, comment),
   which lets ``_stance`` call a cue-less statement neutral.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from onrecord.positions._records import ActLabel

NEGATORS = frozenset({"not", "never", "no", "nor", "neither", "cannot", "nobody", "nothing"})
# Words too common to say which clause is about the proposition.
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "of",
        "to",
        "in",
        "on",
        "at",
        "for",
        "by",
        "with",
        "from",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "we",
        "our",
        "us",
        "they",
        "their",
        "them",
        "he",
        "she",
        "his",
        "her",
        "i",
        "my",
        "you",
        "your",
        "will",
        "would",
        "shall",
        "should",
        "can",
        "could",
        "may",
        "might",
        "must",
        "has",
        "have",
        "had",
        "do",
        "does",
        "did",
        "not",
        "no",
        "any",
        "all",
        "some",
        "more",
        "most",
        "very",
        "just",
        "also",
        "than",
        "then",
        "there",
        "here",
        "what",
        "which",
        "who",
        "whom",
        "whose",
        "when",
        "where",
        "why",
        "how",
        "about",
        "into",
        "over",
        "under",
        "after",
        "before",
        "again",
        "further",
        "once",
        "only",
        "own",
        "same",
        "so",
        "too",
        "s",
        "t",
        "said",
        "says",
        "say",
        "told",
        "tell",
        "according",
    ]
)

_CONTRACTIONS = (
    (re.compile(r"\bwon't\b"), "will not"),
    (re.compile(r"\bcan't\b"), "can not"),
    (re.compile(r"\bcannot\b"), "can not"),
    (re.compile(r"\bshan't\b"), "shall not"),
    (re.compile(r"n't\b"), " not"),
)
_QUOTE_MARKS = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})

_CLAUSE_SPLIT = re.compile(
    r"(?<=[.!?])\s+|;\s*|\s+-\s+|\s+\u2014\s+|,?\s+\bbut\b(?!\s+(?:only|not|also)\b)\s*"
    r"|,?\s+\b(?:while|whereas|however)\b,?\s*"
)

# (pattern, keep the marker in the condition text)
_CONDITIONS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p)
    for p in (
        r"\b(?:but\s+)?only\s+(?:if|when|once|after|as long as|provided)\b[^.;!?]*",
        r"\b(?:but\s+)?only\s+on\s+(?:a|an|the)?\s*[\w\s-]{0,40}?\bbasis\b[^.;!?]*",
        r"\b(?:but\s+)?only\s+(?:under|with|for|in exchange for|in return for)\b[^.;!?]*",
        r"\bon\s+(?:a|an)\s+[\w-]+\s+basis\b[^.;!?]*",
        r"\b(?:provided|providing)\s+(?:that\s+)?[^.;!?]*",
        # "for as long as" measures time ("for as long as there are two chairs"), it sets no terms.
        r"(?<!for )\b(?:as|so)\s+long\s+as\b[^.;!?]*",
        r"\bon\s+(?:the\s+)?condition\s+that\b[^.;!?]*",
        r"\bconditional\s+(?:on|upon)\b[^.;!?]*",
        r"\b(?:subject\s+to|in\s+exchange\s+for|in\s+return\s+for|depend(?:s|ed|ing)?\s+on)\b"
        r"[^.;!?]*",
        r"\bunless\b[^.;!?]*",
        r"\bon\s+(?:these|those|such|our|certain|strict|clear)\s+(?:terms|conditions)\b[^.;!?]*",
        r"\b(?:under|with)\s+(?:strict|clear|certain|some)\s+conditions\b[^.;!?]*",
        r"\b(?<!even )if\b[^.;!?]*",
    )
)
_CONCESSIONS = re.compile(r"\b(?:even if|even though|whether or not|no matter)\b")

_ACT_PATTERNS: tuple[tuple[ActLabel, str], ...] = (
    ("warning", r"\bwarn(?:s|ed|ing)?\b|\bat (?:its|their|your) (?:own )?peril\b"),
    (
        "refusal",
        r"\brul(?:e|es|ed|ing) out\b|\breject(?:s|ed|ing)?\b|\brefus(?:e|es|ed|ing)\b"
        r"|\bunacceptable\b|\bout of the question\b|\bnon-negotiable\b"
        r"|\bnot (?:up for )?negotiable\b|\bnot on the table\b|\bdeclin(?:e|es|ed|ing)\b"
        r"|\bveto(?:es|ed)?\b|\bsay(?:s)? no\b|\bsaid no\b|\bno to\b|\bnever\b"
        r"|\bwill not compromise\b|\bnot (?:going to|prepared to|willing to|ready to)\b"
        r"|\bwill not\b|\bwould not\b|\bdo not intend\b|\bno intention\b|\bis closed\b"
        r"|\bcan not (?:accept|agree|allow|support|sign)\b|\bdismiss(?:es|ed)?\b"
        r"|^\W*no\b(?! doubt| matter| one\b)",
    ),
    (
        "acceptance",
        r"\b(?:ready|willing|prepared) to (?:accept|agree|sign|endorse|approve)\b"
        r"|\baccept(?:s|ed|ing)?\b|\bagree(?:s|d)? (?:to|with|on)\b|\bwelcom(?:e|es|ed|ing)\b"
        r"|\bendors(?:e|es|ed|ing)\b|\bapprov(?:e|es|ed|ing)\b|\bcan live with\b"
        r"|\bsay(?:s)? yes\b|\bsaid yes\b|\bon board\b|\bsign(?:s|ed)? (?:up|on)\b"
        r"|\bno objections?\b|\b(?:do|does|did) not object\b"
        r"|\bwould (?:support|back)\b",
    ),
    (
        "offer",
        r"\boffer(?:s|ed|ing)?\b|\b(?:ready|willing|prepared) to\b|\bstand(?:s)? ready\b"
        r"|\bpropos(?:e|es|ed|ing)\b|\bopen to\b|\bput forward\b|\bpledg(?:e|es|ed)\b"
        r"|\bcommit(?:s|ted)? to\b|\bwould consider\b|\bcould (?:discuss|consider|accept)\b"
        r"|\bwe can\b|\bis on the table\b|\bextend(?:s|ed)? an?\b|\bpromis(?:e|es|ed)\b"
        r"|\b(?:is|was|would be) possible\b|\b(?:give|gives|provide|provides|grant|grants)\b",
    ),
    (
        "demand",
        r"\bdemand(?:s|ed|ing)?\b|\binsist(?:s|ed|ing)?\b|\bmust\b|\bha(?:ve|s|d) to\b"
        r"|\bneed(?:s|ed)? to\b|\bcall(?:s|ed|ing)? (?:on|for|upon)\b|\burg(?:e|es|ed|ing)\b"
        r"|\brequir(?:e|es|ed|ing)\b|\bshould\b|\bwant(?:s|ed)? \w+ to\b"
        r"|\bexpect(?:s|ed)? \w+ to\b"
        r"|\bask(?:s|ed|ing)? (?:for|that)\b|\bit is time (?:for|to)\b|\bought to\b",
    ),
    (
        "prediction",
        r"\bwill (?:likely|probably|soon|eventually)\b|\b(?:un)?likely\b|\bprobably\b"
        r"|\bpredict(?:s|ed|ing)?\b|\bforecast(?:s|ed)?\b|\bexpect(?:s|ed)? (?:that|the|a)\b"
        r"|\b(?:is|are) (?:going|bound|set) to\b|\bwithin (?:weeks|months|days|a year)\b"
        r"|\b(?:think|believe|doubt)s? (?:that )?\w+ will\b|\bwill (?:collapse|fail|succeed)\b"
        r"|\b(?:is|are|was|were) expected\b|\bwill be (?:decided|settled|announced)\b",
    ),
)
_ACT_CUES: tuple[tuple[ActLabel, re.Pattern[str]], ...] = tuple(
    (act, re.compile(p)) for act, p in _ACT_PATTERNS
)

_NEGATIVE_WORDS = re.compile(
    r"\bunacceptable\b|\bdisaster\w*|\bobject(?:s|ed|ion|ions)?\b|\bviolat\w*|\binterference\b|\binfring\w*|\bcatastroph\w*|\bmistake\b|\bdangerous\b|\bwrong\b"
    r"|\billegal\b|\bagainst\b|\boppos(?:e|es|ed|ing)\b|\breject\w*|\brefus\w*|\brul\w* out\b"
    r"|\bthreat\w*|\babsurd\b|\boutrage\w*|\bprovocation\b|\bunfair\b|\bsurrender\b"
    r"|\bdeal-breaker\b|\bred line\b|\bnever\b|\bno way\b|\bnonsense\b|\bhumiliat\w*"
    # Harm done by the proposal and blame for it: how news reports a side taken without a
    # refusal verb ("would bankrupt the region", "a betrayal of the forest towns").
    r"|\bharm\w*|\bdamag\w*|\bdestro\w*|\bruin\w*|\bbankrupt\w*|\bcrippl\w*|\bdevastat\w*"
    r"|\bwreck\w*|\bundermin\w*|\bjeopardi[sz]\w*|\bendanger\w*|\bhurt\w*|\bwipe\w* out\b"
    r"|\bdrain\w*|\bburden\w*|\bwast(?:e|es|ed|eful)\b|\bvanity\b|\breckless\w*|\bprematur\w*"
    r"|\birresponsib\w*|\bmisguided\b|\bflawed\b|\bunworkable\b|\bunrealistic\b"
    r"|\bunaffordable\b|\bbetray\w*|\bsell-?out\b|\bgiveaway\b|\bshameful\b|\bfolly\b"
    r"|\bblunder\w*|\bcriticis\w*|\bcriticiz\w*|\bcondemn\w*|\bdenounc\w*|\bdeplor\w*"
    r"|\bslam(?:s|med)?\b"
    r"|\b(?:cost|costs|costing|lose|losing|destroy|kill|kills)(?: \w+){0,2} jobs\b"
    r"|\bforc\w* (?:\w+ ){0,3}(?:to )?clos\w*|\binstead of\b"
    r"|\b(?:too|far too) (?:weak|high|costly|expensive|risky|early|soon|much|many|big|fast)\b"
    r"|\balready (?:generous|enough|sufficient|too)\b"
)
_POSITIVE_WORDS = re.compile(
    r"\bkeep(?:s|ing)? (?:the |this |our |that )?\w+ (?:open|alive|going)\b"
    r"|\bwelcom\w*|\bsupport\w*|\bfavou?r\w*|\bback(?:s|ed|ing)?\b|\bendors\w*|\bgood\b"
    r"|\bright step\b|\bessential\b|\bnecessary\b|\bvital\b|\bfair\b|\bbenefit\w*|\bsensible\b"
    r"|\bstep forward\b|\bbreakthrough\b|\bpositive\b|\bhelpful\b|\bagree(?:s|d)?\b|\baccept\w*"
    # Gains credited to the proposal, praise, and commitment to carry it out.
    r"|\boverdue\b|\bdeserv\w*|\bearn(?:s|ed)?\b|\bhail\w*|\bprais\w*|\bapplau\w*"
    r"|\bchampion\w*|\bboost\w*|\bstrengthen\w*"
    r"|\b(?:create|creates|bring|brings|add|adds|save|saves|secure|secures)(?: \w+){0,2} jobs\b"
    r"|\blower (?:\w+ )?(?:costs|prices|bills)\b|\bcheaper\b|\blong-awaited\b|\bmakes sense\b"
    r"|\bpress(?:es|ed|ing)? (?:ahead|on)\b|\bpush(?:es|ed|ing)? (?:ahead|for)\b"
    r"|\b(?:committed|determined) to\b|\bintends? to\b"
    r"|\bwill (?:start|begin|adopt|build|ratify|implement|launch|complete|proceed)\b"
)
_DETERMINER_BEFORE = re.compile(r"(?:\b(?:the|a|an|its|their|his|her|our|your|this|that)|'s)\s+$")
_NOUNS = frozenset({"demand", "demands", "offer", "offers", "proposal", "promise", "pledge"})
_ABSENCE = re.compile(r"\b(?:without|unless|if\b[^,]*\bnot)\b")
_ATTRIBUTION_TAIL = re.compile(
    r",?\s*(?:[\w' -]{0,40}\s)?(?:said|says|told|added|argued|insisted|stated)\b[^,]*$"
)
_ACT_STRENGTH: tuple[ActLabel, ...] = (
    "refusal",
    "acceptance",
    "offer",
    "demand",
    "warning",
    "prediction",
    "none",
)
_NO_COMMENT = re.compile(
    r"\b(?:declin|refus)\w* to (?:comment|say|speculate|confirm|discuss|elaborate|be drawn)\b"
    r"|\b(?:would|will|did|could) not (?:comment|speculate|be drawn)\b|\bno comment\b"
)
_RULE_OUT = re.compile(r"rul\w* out")
_REVERSAL = re.compile(
    r"\b(?:drop|abandon|halt|stop|end|postpone|delay|scrap|cancel|withdraw|suspend|ban|block"
    r"|reverse|shelve|freeze|water down|scale back|back down|less than|keep \w+ \w+ out"
    r"|keep \w+ out)(?:s|es|ed|ped|ing|ping)?\b"
)
_QUESTION = re.compile(r"\?\s*[\"']?\s*$")
# What reports of process say: meetings, schedules, documents, figures, dates, no comment.
_PROCEDURAL = re.compile(
    r"\b(?:talks?|meet(?:s|ing|ings)?|met|round|agenda|session|resum\w*|continu\w*|discuss\w*"
    r"|schedul\w*|publish\w*|visit\w*|vot(?:e|es|ed|ing)|ballot|survey\w*|statistic\w*|figures"
    r"|(?:rose|fell|rise|fall) (?:by|slightly|sharply)|comment\w*|speculat\w*|read|delegat\w*"
    r"|mediat\w*|negotiat\w*|lists?|report(?:s|ed)?|accounts|debate|organi[sz]\w*"
    r"|asked (?:about|whether|if)|monday|tuesday|wednesday|thursday|friday|saturday|sunday"
    r"|next (?:week|month)|this (?:week|month))\b"
)


@dataclass(frozen=True, slots=True)
class Cues:
    """Rule findings for one statement-proposition pair."""

    clause: str
    condition: str | None
    act: ActLabel
    polarity: int
    is_threat: bool
    is_question: bool
    fired: tuple[str, ...]
    is_procedural: bool = False


def normalise(text: str) -> str:
    """Lower-case, straight quotes, expanded negative contractions, single spaces."""
    out = text.translate(_QUOTE_MARKS).lower()
    for pattern, repl in _CONTRACTIONS:
        out = pattern.sub(repl, out)
    return " ".join(out.split())


def content_words(text: str) -> set[str]:
    """Crude stems (a final "s" dropped, then five letters) of the non-stopwords of a text."""
    return {
        w.removesuffix("s")[:5]
        for w in re.findall(r"[a-z][a-z-]+", text.lower())
        if w not in STOPWORDS
    }


def split_clauses(text: str) -> list[str]:
    """Sentences and contrastive clauses of a normalised text."""
    parts = [p.strip(" ,\"'") for p in _CLAUSE_SPLIT.split(text)]
    return [p for p in parts if p]


def _negated(text: str, start: int) -> bool:
    before = re.findall(r"[a-z]+", text[max(0, start - 40) : start])[-3:]
    return any(w in NEGATORS for w in before)


def pick_clause(clauses: list[str], topic: str) -> str:
    """The clause that speaks to the topic.

    Candidates are the clauses within one content word of the best overlap with the topic;
    among them the one with the strongest act wins (a refusal over an offer over a bare
    report), then the larger overlap, then the earlier clause. "Veldora gives the guarantees.
    We will not give any" is about guarantees in both clauses; the refusal carries the stance.
    """
    wanted = content_words(topic)
    overlaps = [len(content_words(c) & wanted) for c in clauses]
    best = max(overlaps)
    candidates = [i for i, o in enumerate(overlaps) if o >= max(best - 1, 1)] or [0]
    return clauses[
        min(
            candidates,
            key=lambda i: (_ACT_STRENGTH.index(find_act(clauses[i])[0]), -overlaps[i], i),
        )
    ]


def find_condition(text: str) -> str | None:
    """The condition a normalised statement attaches, or ``None``."""
    if _CONCESSIONS.search(text):
        text = _CONCESSIONS.sub(" ", text)
        if not any(p.search(text) for p in _CONDITIONS[:-1]):
            return None
    for pattern in _CONDITIONS:
        match = pattern.search(text)
        if match:
            found = _ATTRIBUTION_TAIL.sub("", match.group(0))
            return found.strip(" ,\"'") or None
    return None


def find_act(text: str) -> tuple[ActLabel, str | None, bool, int]:
    """The act a normalised clause performs: act, cue text, whether negated, cue offset."""
    if _NO_COMMENT.search(text):
        # "declined to say whether ..." is no act at all, whatever the rest of the clause says.
        return "none", None, False, 0
    found: list[tuple[ActLabel, re.Match[str], bool]] = []
    for act, pattern in _ACT_CUES:
        for match in pattern.finditer(text):
            if _DETERMINER_BEFORE.search(text[: match.start()]) and match.group(0) in _NOUNS:
                # "its offer", "Ombria's demand": a thing talked about, not an act performed.
                continue
            if _RULE_OUT.match(match.group(0)) and _negated(text, match.start()):
                # "did not rule out" keeps a door open without walking through it.
                continue
            negated = act not in ("refusal", "warning") and _negated(text, match.start())
            found.append((act, match, negated))
    if not found:
        return "none", None, False, 0
    for act, match, negated in found:
        if negated and act in ("acceptance", "offer"):
            return "refusal", f"not {match.group(0)}", True, match.start()
    priority: tuple[ActLabel, ...] = (
        "warning",
        "refusal",
        "acceptance",
        "offer",
        "demand",
        "prediction",
    )
    ranked = sorted(found, key=lambda f: (priority.index(f[0]), f[1].start()))
    for act, match, negated in ranked:
        if act == "demand" and negated:
            continue
        return act, match.group(0), negated, match.start()
    return "none", None, False, 0


def _reverses(text: str, start: int, proposition: str) -> bool:
    # Refusing to drop, delay or ban something argues for it: a double negative. Only when the
    # proposition does not itself name that reversal ("the strike ends" vs "end the strike").
    match = _REVERSAL.search(text, start, start + 80)
    if match is None:
        return False
    stem = re.sub(r"(?:ping|ped|ing|ed|es|s)$", "", match.group(0).split()[0])[:4]
    return stem not in normalise(proposition)


def lexical_polarity(
    text: str, act: ActLabel, proposition: str = "", cue_start: int = 0
) -> tuple[int, list[str]]:
    """-1, 0 or +1 from evaluative words and the act, with negation flips."""
    if act == "warning":
        # Warning of what happens without X argues for X; warning of X argues against it.
        return (1, ["+warning:absence"]) if _ABSENCE.search(text) else (-1, ["-warning"])
    score = 0
    fired: list[str] = []
    for match in _NEGATIVE_WORDS.finditer(text):
        negated = _negated(text, match.start())
        if negated and _RULE_OUT.match(match.group(0)):
            continue
        sign = 1 if negated and match.group(0) != "never" else -1
        score += sign
        fired.append(f"{'+' if sign > 0 else '-'}{match.group(0)}")
    for match in _POSITIVE_WORDS.finditer(text):
        sign = -1 if _negated(text, match.start()) else 1
        score += sign
        fired.append(f"{'+' if sign > 0 else '-'}{match.group(0)}")
    if act == "refusal":
        if _reverses(text, cue_start, proposition):
            score += 2
            fired.append("+refusal:reversal")
        else:
            score -= 2
    elif act in ("acceptance", "offer", "demand"):
        score += 1
    return (1 if score > 0 else -1 if score < 0 else 0), fired


def analyse(statement: str, proposition: str) -> Cues:
    """Apply the rule cascade to one statement and proposition."""
    text = normalise(statement)
    clauses = split_clauses(text) or [text]
    clause = pick_clause(clauses, proposition)
    index = clauses.index(clause)
    # A condition may sit in the next clause ("... observers. But only if they are unarmed").
    scope = " ".join(clauses[index : index + 2]) if index + 1 < len(clauses) else clause
    condition = find_condition(scope)
    act, cue, negated, cue_start = find_act(clause)
    polarity, fired = lexical_polarity(clause, act, proposition, cue_start)
    if _NO_COMMENT.search(clause):
        polarity, fired = 0, ["no comment"]
    is_threat = act == "warning" or bool(
        condition
        and re.search(r"\b(?:will|would) (?:walk out|walk away|leave|retaliate|respond)\b", clause)
    )
    cues = [f"act:{act}:{cue}"] if cue else []
    if negated:
        cues.append("negated")
    if condition:
        cues.append(f"condition:{condition}")
    cues.extend(fired)
    return Cues(
        clause=clause,
        condition=condition,
        act=act,
        polarity=polarity,
        is_threat=is_threat,
        is_question=bool(_QUESTION.search(clause)),
        fired=tuple(cues),
        is_procedural=bool(_PROCEDURAL.search(clause)),
    )
