"""Synthetic news corpus with planted duplicates, rewrites and shared quotes, plus ground truth.

Usage::

    .venv/bin/python bench/synth_corpus.py --articles 100000 --out /tmp/synth100k [--seed 7]

Writes ``corpus-NNN.jsonl`` shards (10,000 articles each; fields title, text, url, published,
outlet, authors) and ``truth.jsonl`` (one line per article, same order: source, kind, family,
story, quotes with their planted ids). Everything is made from the templates below: the
people, places, outlets and events are invented, and any resemblance to real ones is
coincidental.

Kinds of article (shares are of the whole corpus):

- ``original`` (~68%): a fresh article about a fresh event, 2-4 quotes;
- ``copy`` (~14%): an original reprinted by another outlet (new header, footer and title,
  same body): a near-duplicate of its family;
- ``rewrite`` (~10%): an original lightly rewritten (about one word in ten replaced, one
  sentence dropped, two swapped, quotes kept): a near-duplicate of its family;
- ``followup`` (~8%): a new article on the same event a few days later quoting one statement
  of the original, whole or trimmed, through the original outlet: same story and quotation,
  not a duplicate.

A family is an original with its copies and rewrites; every pair inside a family is a planted
duplicate pair.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from onrecord.models import Quote, Speaker

SHARD_SIZE = 10_000


def _split(text: str, separator: str | None = None) -> list[str]:
    return text.split(separator)


START = date(2025, 1, 1)
DAYS = 540

FIRST = _split(
    "Ana Bela Corin Dara Elio Fenna Goran Hilde Ivo Jana Kasimir Lena Milo Nadia Oskar Petra "
    "Quirin Rosa Stefan Tilda Ulric Vesna Wim Xenia Yara Zeno Arvid Brisa Celo Dorota Emrik "
    "Frida Gesa Halvar Ilse Jorin Katja Lorenz Marit Nils Orla Pavo Runa Sten Tove Ursel Vito"
)
SURNAME_HEADS = _split(
    "Var Kel Dro Mas Tor Lin Hal Bren Os Quil Ryn Sat Vel Wyn Zor Ael Bor Cen Dun"
)
SURNAME_TAILS = _split("dan mark ovic sen ter berg ley rin vik holt ström ard ell")
TOWN_HEADS = _split("Ash Bel Cor Dal Eld Fen Gar Hol Isk Jar Kes Lom Mir Nor Orv Pel Quen Ros Sal")
TOWN_TAILS = _split("haven ford mouth vale wick burg stead moor ton field")
OUTLETS = _split(
    "Norvale Herald|Pellam Times|Kestrel Wire|Orvik Daily|Dunmarsh Courier|Halwick Gazette|"
    "Saltmoor Post|Ferrow Chronicle|Brinmark Radio|Lowfield Observer|Tarnby Ledger|"
    "Quenford Tribune|Aldmere News|Wyncombe Echo|Riverline Agency|Eastgate Bulletin|"
    "Morrow Star|Calder Voice|Heathwick Mail|Sunvale Journal|ClickNest24|NewsBuzzHub|"
    "DailyScoopNow|TrendWire365",
    "|",
)
ROLES = _split(
    "finance minister|transport minister|mayor of {town}|head of the {town} port authority|"
    "leader of the dockworkers' union|opposition lawmaker|spokeswoman for the interior "
    "ministry|chief executive of {town} Water|regional governor|head of the farmers' association|"
    "police chief of {town}|chair of the {town} council",
    "|",
)
TOPICS = _split(
    "bridge repairs|port fees|water tariffs|school closures|a rail strike|the harbour dredging|"
    "flood defences|the grain quota|bus fares|the new ferry line|hospital funding|road tolls|"
    "fishing licences|the dam inspection|power prices|housing permits|the customs checks|"
    "the airport runway|canal maintenance|the tram extension",
    "|",
)
VERBS = _split(
    "approved|rejected|postponed|criticised|defended|announced|suspended|reviewed|funded|"
    "questioned|delayed|welcomed|blocked|expanded|cut",
    "|",
)
NOUNS = _split(
    "plan|budget|schedule|contract|proposal|agreement|report|tender|timetable|reform|levy|"
    "inquiry|subsidy|programme|deadline",
    "|",
)
ADJECTIVES = _split(
    "revised|controversial|long-awaited|emergency|regional|temporary|final|costly|modest|"
    "ambitious|disputed|joint|annual|provisional",
    "|",
)
WEEKDAYS = _split("Monday Tuesday Wednesday Thursday Friday Saturday Sunday")
NARRATIVE = (
    "The {adj} {noun} on {topic} was {verb} by the council in {town} on {weekday}.",
    "Officials in {town} said {n} residents had signed a petition about {topic}.",
    "The {noun} would cost about {n} million, according to documents seen by {outlet}.",
    "Talks on {topic} are expected to resume in {town} next {weekday}.",
    "Critics said the {adj} {noun} ignored the concerns of people living near the {place}.",
    "A vote on the {noun} is scheduled for {weekday}, {n} days after the first reading.",
    "Local businesses near the {place} reported losses of {n} thousand during the dispute.",
    "The government in {capital} has {verb} a similar {noun} twice in the past decade.",
    "Engineers inspected the {place} on {weekday} and found {n} faults that need repair.",
    "Protesters gathered outside the town hall in {town}, demanding a say on {topic}.",
    "Figures published on {weekday} show that {n} per cent of households support the {noun}.",
    "The {adj} {noun} was first put forward by {town} officials {n} months ago.",
    "{thing} near the {place} {event} for {n} hours.",
    "A {occupation} from {town} described the {noun} as {judgement}.",
    "{thing} had already {event} twice this {season}, neighbours in {town} said.",
    "Under the {noun}, {n} {unit} of {cargo} a week would pass the {place}.",
    "In {town}, {n} {occupation}s have asked for a meeting about {topic}.",
    "{outlet} could not independently confirm the figure of {n} {unit}.",
    "The {place} was closed for {n} days in {season} after {thing} {event}.",
    "A {judgement} {noun} is not what {town} needs, a {occupation} told the crowd.",
    "{cargo} prices in {town} rose by {n} per cent while the {noun} was {verb}.",
    "The last {noun} on {topic} {event} in {season}, leaving {n} {unit} unaccounted for.",
    "Residents of {town} will be able to comment on the {noun} until {weekday}.",
    "The {occupation}s' association said {thing} had {event} {n} times since {season}.",
)
OCCUPATIONS = _split(
    "farmer|teacher|ferry captain|nurse|baker|lorry driver|lock keeper|engineer|shop owner|"
    "fisherman|student|pensioner|electrician|dock worker|carpenter|surveyor|pharmacist|pilot",
    "|",
)
THINGS = _split(
    "a grain barge|the night ferry|a cargo train|the old crane|a delivery van|the water main|"
    "a pumping engine|the east gate|a patrol boat|the signal box|a tanker|the footbridge",
    "|",
)
EVENTS = _split(
    "stalled|broke down|was held up|flooded|ran aground|was turned back|lost power|"
    "was inspected|was rerouted|caught fire|was towed away|sat idle",
    "|",
)
SEASONS = _split("spring|summer|autumn|winter|the harvest|the holidays|the spring tide", "|")
UNITS = _split("tonnes|crates|containers|litres|vehicles|passengers|barrels|bales", "|")
CARGO = _split("wheat|timber|coal|salt|fertiliser|wool|cement|fish|steel|potatoes|oil", "|")
JUDGEMENTS = _split(
    "reckless|overdue|sensible|rushed|unfair|generous|confusing|late|bold|timid|costly|fair",
    "|",
)
PLACES = _split("old bridge|north quay|pumping station|ferry terminal|river bank|rail depot", "|")
QUOTE_OPENERS = (
    "We will not accept a {adj} {noun} that leaves {town} paying for {topic}",
    "Nobody in {town} voted for a {noun} that puts {topic} before families",
    "This {noun} is the best chance {town} has had in {n} years to fix {topic}",
    "If the {noun} is {verb} again, the people of {town} will pay the price",
    "I have read the {adj} {noun} twice and it still does not explain {topic}",
    "Our members are ready to talk about {topic}, but not under a {adj} deadline",
    "The {noun} on {topic} was written in {capital}, not in {town}",
    "Every week of delay on {topic} costs {town} another {n} thousand",
)
QUOTE_CLOSERS = (
    "and we will say so at every meeting in {town} until the {noun} changes",
    "so the council has to come back with {n} numbers we can check",
    "which is why we asked for an independent review of the {adj} {noun}",
    "and that is not a risk any {occupation} in {town} should have to take",
    "because the people near the {place} deserve a straight answer by {weekday}",
    "and I expect the {noun} to be {verb} before {season}",
    "even if it takes another {n} weeks of talks in {capital}",
    "whatever the {occupation}s' association says about {cargo}",
)
SYNONYMS = {
    "said": "stated",
    "residents": "locals",
    "council": "assembly",
    "officials": "authorities",
    "expected": "set",
    "critics": "opponents",
    "concerns": "worries",
    "reported": "recorded",
    "documents": "papers",
    "according": "pursuant",
    "scheduled": "planned",
    "inspected": "examined",
    "found": "discovered",
    "demanding": "calling for",
    "published": "released",
    "support": "back",
    "decade": "ten years",
    "gathered": "assembled",
    "first": "initially",
    "losses": "shortfalls",
    "town": "city",
    "people": "folks",
    "petition": "appeal",
    "similar": "comparable",
    "about": "around",
    "cost": "run to",
}
JUNK_HEADERS = ("Share this article", "Listen to this article", "Advertisement")


@dataclass
class Planted:
    """A planted quote: id, speaker, text as written, and the outlets it came through."""

    id: int
    speaker: str
    text: str
    via: tuple[str, ...] = ()


@dataclass
class Piece:
    """One generated article before it is written out."""

    kind: str
    family: int | None
    story: int
    outlet: str
    published: date
    title: str
    paragraphs: list[str]
    quotes: list[Planted] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)


class Generator:
    """Deterministic article factory; ``articles()`` yields every piece in corpus order."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)  # noqa: S311 - synthetic text, not security
        self.people = [
            f"{first} {head}{tail}"
            for first in FIRST
            for head in SURNAME_HEADS
            for tail in SURNAME_TAILS
        ]
        self.rng.shuffle(self.people)
        self.people = self.people[:2000]
        self.towns = [f"{head}{tail}" for head in TOWN_HEADS for tail in TOWN_TAILS]
        self.roles: dict[str, str] = {}
        self.next_quote = 0
        self.next_story = 0
        self.next_family = 0
        self.recent: list[Piece] = []

    def _fill(self, template: str, ctx: dict[str, str]) -> str:
        rng = self.rng
        values = {
            "occupation": rng.choice(OCCUPATIONS),
            "thing": rng.choice(THINGS),
            "event": rng.choice(EVENTS),
            "season": rng.choice(SEASONS),
            "unit": rng.choice(UNITS),
            "cargo": rng.choice(CARGO),
            "judgement": rng.choice(JUDGEMENTS),
            "adj": rng.choice(ADJECTIVES),
            "noun": rng.choice(NOUNS),
            "verb": rng.choice(VERBS),
            "n": str(rng.randint(2, 950)),
            "weekday": rng.choice(WEEKDAYS),
            "place": rng.choice(PLACES),
            **ctx,
        }
        return template.format(**values)

    def _role(self, person: str, town: str) -> str:
        if person not in self.roles:
            self.roles[person] = self.rng.choice(ROLES).format(town=town)
        return self.roles[person]

    def _quote_text(self, ctx: dict[str, str], opener: str, closer: str) -> str:
        return f"{self._fill(opener, ctx)}, {self._fill(closer, {**ctx, 'role': 'official'})}"

    def _original(self, day: date) -> Piece:
        rng = self.rng
        town, capital = rng.sample(self.towns, 2)
        outlet = rng.choice(OUTLETS)
        ctx = {"town": town, "capital": capital, "topic": rng.choice(TOPICS), "outlet": outlet}
        speakers = rng.sample(self.people, rng.randint(2, 3))
        paragraphs: list[str] = []
        quotes: list[Planted] = []
        # One article never repeats a quote template, as one person rarely repeats a sentence.
        openers = rng.sample(QUOTE_OPENERS, 4)
        closers = rng.sample(QUOTE_CLOSERS, 4)
        for sentence_no, template in enumerate(rng.sample(NARRATIVE, rng.randint(8, 11))):
            sentence = self._fill(template, ctx)
            paragraphs.append(sentence[0].upper() + sentence[1:])
            if sentence_no % 3 == 1 and len(quotes) < 4:
                person = speakers[len(quotes) % len(speakers)]
                text = self._quote_text(ctx, openers[len(quotes)], closers[len(quotes)])
                self.next_quote += 1
                quotes.append(Planted(self.next_quote, person, text))
                role = self._role(person, town)
                if len(quotes) == 1:
                    paragraphs.append(f"{person}, the {role}, told {outlet}: “{text}.”")
                    quotes[-1].via = (outlet,)
                else:
                    paragraphs.append(f"“{text},” {person} said.")
        self.next_story += 1
        self.next_family += 1
        title = self._fill("{town} {verb} {adj} {noun} on {topic}", ctx).capitalize()
        return Piece(
            kind="original",
            family=self.next_family,
            story=self.next_story,
            outlet=outlet,
            published=day,
            title=title,
            paragraphs=paragraphs,
            quotes=quotes,
            authors=[rng.choice(self.people)],
        )

    def _copy(self, source: Piece) -> Piece:
        rng = self.rng
        outlet = rng.choice([o for o in OUTLETS if o != source.outlet])
        footer = f"(Reprinted from {source.outlet})"
        paragraphs = [rng.choice(JUNK_HEADERS), *source.paragraphs, footer]
        return Piece(
            kind="copy",
            family=source.family,
            story=source.story,
            outlet=outlet,
            published=source.published + timedelta(days=rng.randint(0, 1)),
            title=source.title.rstrip(".") + " - report",
            paragraphs=paragraphs,
            quotes=list(source.quotes),
        )

    def _rewrite(self, source: Piece) -> Piece:
        rng = self.rng
        quoted = {q.text for q in source.quotes}
        paragraphs: list[str] = []
        for paragraph in source.paragraphs:
            if any(text in paragraph for text in quoted):
                paragraphs.append(paragraph)
                continue
            words = paragraph.split(" ")
            for index, word in enumerate(words):
                bare = word.strip(".,").lower()
                if bare in SYNONYMS and rng.random() < 0.6:
                    words[index] = word.lower().replace(bare, SYNONYMS[bare])
            paragraphs.append(" ".join(words))
        narrative = [i for i, p in enumerate(paragraphs) if not any(t in p for t in quoted)]
        if len(narrative) > 3:
            del paragraphs[rng.choice(narrative[1:])]
            first, second = rng.sample(range(len(paragraphs)), 2)
            paragraphs[first], paragraphs[second] = paragraphs[second], paragraphs[first]
        outlet = rng.choice(OUTLETS[-4:])
        return Piece(
            kind="rewrite",
            family=source.family,
            story=source.story,
            outlet=outlet,
            published=source.published + timedelta(days=rng.randint(0, 2)),
            title=f"What we know: {source.title}",
            paragraphs=paragraphs,
            quotes=list(source.quotes),
        )

    def _followup(self, source: Piece) -> Piece:
        rng = self.rng
        fresh = self._original(source.published + timedelta(days=rng.randint(1, 5)))
        self.next_story -= 1
        self.next_family -= 1
        picked = rng.choice(source.quotes)
        words = picked.text.split(" ")
        text = picked.text
        if len(words) > 12 and rng.random() < 0.5:
            text = " ".join(words[len(words) // 2 :])
        reused = Planted(picked.id, picked.speaker, text, (source.outlet,))
        insert = f"“{text},” {picked.speaker} told {source.outlet} earlier this week."
        fresh.paragraphs.insert(2, insert)
        return Piece(
            kind="followup",
            family=None,
            story=source.story,
            outlet=rng.choice([o for o in OUTLETS if o != source.outlet]),
            published=fresh.published,
            title=f"Update: {source.title}",
            paragraphs=fresh.paragraphs,
            quotes=[reused, *fresh.quotes],
            authors=fresh.authors,
        )

    def articles(self, count: int) -> Iterator[Piece]:
        """``count`` articles; copies, rewrites and follow-ups refer to recent originals."""
        rng = self.rng
        for number in range(count):
            day = START + timedelta(days=number * DAYS // max(count, 1))
            roll = rng.random()
            sources = [p for p in self.recent if p.kind == "original"]
            if sources and roll < 0.14:
                piece = self._copy(rng.choice(sources))
            elif sources and roll < 0.24:
                piece = self._rewrite(rng.choice(sources))
            elif sources and roll < 0.32:
                piece = self._followup(rng.choice(sources))
            else:
                piece = self._original(day)
                self.recent.append(piece)
                self.recent = self.recent[-50:]
            yield piece


def placed_quotes(
    text: str, planted: Iterable[tuple[str, str, Sequence[str]]], extractor: str
) -> tuple[Quote, ...]:
    """The planted quotes (text, speaker, via) found in ``text``, as direct quotes at their
    offsets, in text order: what an extractor that never errs would give."""
    quotes = []
    for said, speaker, via in planted:
        start = text.find(said)
        if start < 0:
            continue
        quotes.append(
            Quote(
                text=said,
                start=start,
                end=start + len(said),
                kind="direct",
                cue="said",
                confidence=1.0,
                speaker=Speaker(speaker, speaker, None, None, kind="person"),
                via=tuple(via),
                extractor=extractor,
            )
        )
    return tuple(sorted(quotes, key=lambda quote: quote.start))


def _record(piece: Piece, number: int) -> dict[str, Any]:
    slug = "-".join(piece.title.lower().split()[:6])
    return {
        "title": piece.title,
        "text": "\n\n".join(piece.paragraphs),
        "url": f"https://{piece.outlet.lower().replace(' ', '')}.example/{number}/{slug}",
        "published": piece.published.isoformat(),
        "outlet": piece.outlet,
        "authors": piece.authors,
    }


def write_corpus(count: int, out: Path, seed: int) -> dict[str, int]:
    """Write ``count`` articles and the truth file under ``out``; return counts per kind."""
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("corpus-*.jsonl"):
        old.unlink()
    kinds: dict[str, int] = {}
    shard = None
    name = ""
    line = 0
    with (out / "truth.jsonl").open("w", encoding="utf-8") as truth:
        for number, piece in enumerate(Generator(seed).articles(count)):
            if shard is None or number % SHARD_SIZE == 0:
                if shard is not None:
                    shard.close()
                name = f"corpus-{number // SHARD_SIZE:03d}.jsonl"
                shard = (out / name).open("w", encoding="utf-8")
                line = 0
            line += 1
            shard.write(json.dumps(_record(piece, number), ensure_ascii=False) + "\n")
            kinds[piece.kind] = kinds.get(piece.kind, 0) + 1
            truth.write(
                json.dumps(
                    {
                        "source": f"{out / name}:{line}",
                        "kind": piece.kind,
                        "family": piece.family,
                        "story": piece.story,
                        "quotes": [
                            {"id": q.id, "speaker": q.speaker, "text": q.text, "via": list(q.via)}
                            for q in piece.quotes
                        ],
                    },
                    ensure_ascii=False,
                )
                + "\n"
            )
    if shard is not None:
        shard.close()
    return kinds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    started = time.perf_counter()
    kinds = write_corpus(args.articles, args.out, args.seed)
    took = time.perf_counter() - started
    print(f"wrote {args.articles:,} articles to {args.out} in {took:.1f} s")
    for kind, number in sorted(kinds.items()):
        print(f"  {kind:9s} {number:7,d}")


if __name__ == "__main__":
    main()
