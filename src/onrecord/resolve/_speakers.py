"""Per-article speaker rules: who a source mention, pronoun or role noun refers to.

Input: an ``Article``, its ``Doc`` and its attributions, indexed once by ``ArticleResolver``.
Output: a ``Speaker`` per attribution and the relays named around it. The order in which the
rules are tried is written in the package docstring. The rules are split by concern:
``_article_index`` (the indexes), ``_organisations``, ``_roles``, ``_pronouns``, ``_mentions``
(the mention cascade) and, here, what surrounds the speaker (relays, audience, inner speakers,
views held).
"""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Span as DocSpan
from spacy.tokens import Token

from onrecord.models import Attribution, Speaker
from onrecord.resolve._article_index import (
    ORG_ENTS,
    UNKNOWN_SPEAKER,
    Resolved,
)
from onrecord.resolve._lexicon import (
    DOCUMENT_NOUNS,
    GROUP_HEADS,
    ORG_HEADS,
    ROLE_HEADS,
)
from onrecord.resolve._mentions import MentionRules
from onrecord.resolve._outlets import (
    find_relays,
    normalise_name,
)

_SPEECH_LEMMAS = frozenset(
    {
        "say",
        "tell",
        "add",
        "state",
        "claim",
        "warn",
        "insist",
        "argue",
        "deny",
        "announce",
        "confirm",
        "explain",
        "note",
        "stress",
        "write",
        "call",
        "describe",
        "predict",
    }
)

# How far a source-less paragraph may be from the statement it continues.
_CONTINUATION_PARAGRAPHS = 1

# An outlet's content that opens with "X said ..." within this many tokens names the speaker.
_INNER_SPEAKER_TOKENS = 12

# Verbs with which an outlet names whom it heard: "reported, citing two officials".
_CITING_LEMMAS = frozenset({"cite", "quote"})

# A content opening with its speech verb ("also told the station that ...") within this many
# tokens; its subject is read up to this many tokens before the content.
_OPENING_TOKENS = 2

_OPENING_SUBJECT_TOKENS = 8

# Verbs whose object is a listener ("told lawmakers"), and verbs that take "to" a listener.
_TELL_LEMMAS = frozenset({"tell", "brief", "assure", "inform", "remind", "warn"})

_SPEAK_LEMMAS = frozenset({"say", "speak", "talk", "write", "explain", "complain", "describe"})

_LISTENER_DEPS = frozenset({"dobj", "dative", "iobj"})

# Nouns for a news medium: whoever they name was told as a relay, not as an audience.
_MEDIA_NOUNS = frozenset(
    {
        "newspaper",
        "paper",
        "agency",
        "broadcaster",
        "magazine",
        "station",
        "channel",
        "outlet",
        "site",
        "website",
        "daily",
        "weekly",
        "network",
        "programme",
        "program",
        "show",
        "podcast",
        "journalist",
        "reporter",
        "reporters",
        "interviewer",
    }
)

# Verbs of belief and stance whose subject holds the view reported speech passes on.
_HOLDER_LEMMAS = frozenset(
    {
        "believe",
        "think",
        "want",
        "fear",
        "hope",
        "expect",
        "consider",
        "feel",
        "insist",
        "know",
        "view",
        "see",
        "accept",
        "reject",
        "oppose",
        "support",
        "demand",
        "intend",
        # "X said Y had told her that ...": Y's words inside X's.
        "say",
        "tell",
        "warn",
        "claim",
        "promise",
        "assure",
    }
)


__all__ = ["UNKNOWN_SPEAKER", "ArticleResolver", "Resolved"]


class ArticleResolver(MentionRules):
    """Per-article state: built once, then asked about each attribution in text order."""

    def relays(self, attribution: Attribution) -> list[str]:
        content, cue_span = attribution.content, attribution.cue
        skip = (content.start, content.end)
        if cue_span is not None and content.start < cue_span.start < content.end:
            # The words ran on over their own cue ("“...,” Lind told Radio Marren"): what
            # follows the cue is the attribution, not the statement.
            skip = (content.start, cue_span.start)
        cue = None if attribution.cue is None else self._token_at(attribution.cue.start)
        regions = self._regions(attribution)
        found = find_relays(self.doc, self.text, regions, self.outlets, skip, cue)
        self.relayed.update(relay.name.lower() for relay in found)
        return [relay.name for relay in found]

    def is_outlet_source(self, attribution: Attribution) -> bool:
        source = attribution.source
        if source is None:
            return False
        mention = self.text[source.start : source.end]
        span = self._span(source)
        if span is not None and any(self.people.person_at(t.i) for t in span):
            return False
        return self.outlets.is_outlet(mention)

    def continuation(self, attribution: Attribution, previous: Resolved | None) -> Speaker | None:
        if previous is None or (previous.speaker.name is None and previous.speaker.role is None):
            return None
        gap = self.paragraphs.index(attribution.content.start) - self.paragraphs.index(
            max(previous.end - 1, 0)
        )
        if gap > _CONTINUATION_PARAGRAPHS:
            return None
        return replace(previous.speaker, mention=None, mention_start=None, mention_end=None)

    def inner_speaker(self, attribution: Attribution, previous: Resolved | None) -> Speaker | None:
        """The speaker named inside an outlet's content: "[Lind said the plan was sound]", or
        "[“The plan is sound,” Lind told Radio Corvel], according to Tidewire", where the
        content's main verb is the speech verb."""
        span = self._span(attribution.content)
        if span is None:
            return None
        verbs = list(span[:_INNER_SPEAKER_TOKENS])
        # The heads of the content's sentences: what the content itself asserts.
        verbs += [
            t
            for t in span[_INNER_SPEAKER_TOKENS:]
            if t.head.i == t.i or not span.start <= t.head.i < span.end
        ]
        for token in verbs:
            if token.lemma_.lower() not in _SPEECH_LEMMAS:
                continue
            # "She [also told the station that ...], according to the Post": a content that
            # opens with the speech verb has its subject just before it.
            opens = token.i - span.start <= _OPENING_TOKENS
            for child in token.children:
                if child.dep_ != "nsubj" or (child.i < span.start and not opens):
                    continue
                start = max(child.left_edge.i, span.start) if child.i >= span.start else child.i
                if child.i < span.start:
                    start = max(child.left_edge.i, child.i - _OPENING_SUBJECT_TOKENS)
                subject = self.doc[start : child.i + 1]
                base = self._bare_mention(subject)
                if base is None:
                    return None
                found = self._from_span(subject, base, attribution.content, previous)
                if found is not None and found.name is not None:
                    return found
        return None

    def relays_inside(self, attribution: Attribution, speaker: Speaker) -> list[str]:
        """Outlets the inner speaker of an outlet's content told: "[“...,” Okafor told Radio
        Marren], according to the Northgate Post" -> Radio Marren, heard first-hand."""
        if speaker.mention_start is None or speaker.mention_end is None:
            return []
        mention = self._token_at(speaker.mention_end - 1)
        if mention is None:
            return []
        verb = mention.head
        content = attribution.content
        if not content.start <= verb.idx < content.end:
            return []
        end = min(content.end, verb.sent.end_char)
        said = [c for c in verb.children if c.dep_ in {"ccomp", "xcomp"} and c.i > verb.i]
        skip = (end, end)
        if said:
            skip = (said[0].left_edge.idx, end)
        found = find_relays(self.doc, self.text, [(speaker.mention_start, end)], self.outlets, skip)
        self.relayed.update(relay.name.lower() for relay in found)
        return [relay.name for relay in found]

    def _bare_mention(self, subject: DocSpan) -> Speaker | None:
        """A speaker known so far by its mention only; ``None`` when the mention is an outlet."""
        if self.outlets.is_outlet(subject.text):
            return None
        return Speaker(
            name=None,
            mention=subject.text,
            mention_start=subject.start_char,
            mention_end=subject.end_char,
        )

    def cited_speaker(self, attribution: Attribution, previous: Resolved | None) -> Speaker | None:
        """Whom an outlet cites for what it reported: "..., the Daily Lantern reported, citing
        two officials from the bloc" -> those officials (a group with no name).

        Only people, groups of people and organisations count; "citing the radio interview" or
        "citing figures" names no speaker.
        """
        cue = self.cue_token(attribution)
        if cue is None:
            return None
        content = attribution.content
        for verb in (cue, *cue.children):
            if verb.lemma_.lower() not in _CITING_LEMMAS or content.start <= verb.idx < content.end:
                continue
            for cited in verb.children:
                if cited.dep_ != "dobj" or content.start <= cited.idx < content.end:
                    continue
                if not self._is_speaker_noun(cited):
                    return None
                right = cited.i + 1
                for child in cited.rights:
                    # "two officials from the bloc": keep the phrase that places them.
                    if child.dep_ == "prep" and child.lower_ in {"from", "in", "at", "of", "with"}:
                        right = child.right_edge.i + 1
                subject = self.doc[cited.left_edge.i : right]
                base = self._bare_mention(subject)
                if base is None:
                    return None
                found = self._from_span(subject, base, content, previous)
                return found if found is not None else replace(base, kind="group")
        return None

    def _is_speaker_noun(self, token: Token) -> bool:
        """Whether a noun can name who spoke: a person, people, or an organisation."""
        lemma = token.lemma_.lower()
        if lemma in DOCUMENT_NOUNS or token.lower_ in DOCUMENT_NOUNS:
            return False
        if token.pos_ == "PROPN" or token.ent_type_ in {"PERSON", *ORG_ENTS}:
            return True
        words = {lemma, token.lower_}
        return bool(words & (GROUP_HEADS | ROLE_HEADS | ORG_HEADS)) or token.lower_ == "people"

    def audience(self, attribution: Attribution) -> list[str]:
        """Who was told, when not a news medium: "told company executives" -> that group.

        A medium that was told is a relay (``relays``); pronouns name no one.
        """
        if attribution.cue is None:
            return []
        cue = self._span(attribution.cue)
        if cue is None:
            return []
        content = attribution.content
        found: list[str] = []
        for token in cue:
            lemma = token.lemma_.lower()
            listeners: list[Token] = []
            if lemma in _TELL_LEMMAS:
                listeners = [c for c in token.children if c.dep_ in _LISTENER_DEPS]
            for prep in token.children:
                if prep.dep_ == "prep" and prep.lower_ == "to" and lemma in _SPEAK_LEMMAS:
                    listeners += [c for c in prep.children if c.dep_ == "pobj"]
            phrases: list[tuple[int, int]] = []
            for noun in sorted(listeners, key=lambda t: t.i):
                if noun.pos_ == "PRON" or content.start <= noun.idx < content.end:
                    continue
                if noun.lemma_.lower() in _MEDIA_NOUNS:
                    continue  # "told the newspaper Morning Ledger": a relay
                left = max(noun.left_edge.i, noun.i - 6)
                while left < noun.i and self.doc[left].dep_ in {"det", "poss", "case"}:
                    left += 1
                if phrases and phrases[-1][1] == left:
                    # "told Brightwell staff" can parse as two objects: one listener.
                    left = phrases.pop()[0]
                phrases.append((left, noun.i + 1))
            for left, right in phrases:
                name = normalise_name(self.doc[left:right].text)
                if name and not self.outlets.is_outlet(name) and name not in found:
                    found.append(name)
        return found

    def holder(self, attribution: Attribution, speaker: Speaker) -> str | None:
        """Whose view reported speech gives when it opens with one: "Russia believes ..., X
        said" -> "Russia" (the speaker stays X)."""
        if attribution.kind != "indirect":
            return None
        span = self._span(attribution.content)
        if span is None:
            return None
        verbs = [t for t in span if t.head.i < span.start or t.head.i >= span.end or t.head == t]
        verb = verbs[0] if verbs else None
        if verb is None or verb.lemma_.lower() not in _HOLDER_LEMMAS:
            return None
        subjects = [c for c in verb.children if c.dep_ == "nsubj" and span.start <= c.i < verb.i]
        if not subjects or subjects[0].pos_ == "PRON":
            return None
        head = subjects[0]
        # "the Liberal leader, Jonas Teller, had told her": the name in apposition.
        named = next((c for c in head.rights if c.dep_ == "appos" and c.pos_ == "PROPN"), head)
        subject = self.doc[max(head.left_edge.i, span.start) : named.i + 1]
        mention = subject.text
        base = Speaker(
            name=None,
            mention=mention,
            mention_start=subject.start_char,
            mention_end=subject.end_char,
        )
        found = self._from_span(subject, base, attribution.content, None)
        name = found.name if found is not None and found.name else normalise_name(mention)
        if not name or (speaker.name is not None and name.lower() == speaker.name.lower()):
            return None
        return name
