"""Quote fidelity on planted alterations, through the real ingest path.

Usage::

    .venv/bin/python bench/fidelity_planted.py [--origins 280] [--seed 11] [--model fast]

Writes a synthetic corpus (invented people, places and outlets) of first reports and relayed
copies as JSONL, ingests it with the extraction model (clean -> extract -> resolve -> store,
quotations, fidelity), and scores the stored findings against what was planted:

- each first report carries two direct quotes (one told to its own outlet) and a reported
  statement;
- each relay copies one of them and credits the first outlet. A faithful copy changes only
  what must not count (quote-mark style, spelling variants, "per cent" for "%", final
  punctuation); an altered copy plants exactly one alteration of one kind.

Per kind: precision (findings of that kind on copies planted with it, over all findings of
that kind) and recall (planted copies where it was found). Also the number of faithful copies
with a high-severity finding. Not a gate: a report.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from onrecord.config import Settings
from onrecord.extract import create_extractor
from onrecord.fidelity import FINDING_KINDS
from onrecord.pipeline import extract_paths, store_outcomes
from onrecord.store import Store

FIRST = [
    "Mara",
    "Tomas",
    "Ilse",
    "Joren",
    "Petra",
    "Anselm",
    "Livia",
    "Oskar",
    "Nadia",
    "Ruben",
    "Selma",
    "Dario",
    "Greta",
    "Milo",
    "Ines",
    "Bastian",
    "Carys",
    "Edvin",
    "Freya",
    "Hugo",
]
# Surnames are made unique per first report (prefix + suffix), so that two stories never share
# a speaker by accident.
PREFIXES = [
    "Val",
    "Bren",
    "Ost",
    "Kal",
    "Mar",
    "Tess",
    "Lind",
    "Ade",
    "Quen",
    "Hall",
    "Stran",
    "Vuk",
    "Oka",
    "Pell",
    "Drax",
    "Abe",
    "Soel",
    "Fer",
    "Nak",
    "Whit",
    "Ras",
    "Gal",
    "Hart",
    "Iver",
    "Jab",
    "Kow",
    "Dun",
    "Eri",
    "Cast",
]
SUFFIXES = [
    "in",
    "ek",
    "ander",
    "io",
    "ovic",
    "aro",
    "qvist",
    "bayo",
    "ville",
    "oran",
    "dell",
    "owski",
    "afor",
    "egrini",
    "ler",
    "ston",
    "berg",
    "ford",
    "wick",
    "mund",
]
ROLES = [
    "mayor",
    "transport minister",
    "port director",
    "council leader",
    "health director",
    "finance chief",
    "union spokeswoman",
    "water commissioner",
    "housing minister",
]
ORGS = [
    "Corvel city council",
    "the Veldora port authority",
    "the Harrowmere water board",
    "the regional health agency",
    "the Brantham transit company",
    "the northern union",
]
OUTLETS = [
    ("Morning Ledger", "morningledger.example"),
    ("Tidewire", "tidewire.example"),
    ("Harbour Gazette", "harbourgazette.example"),
    ("Valley Courier", "valleycourier.example"),
    ("Radio Corvel", "radiocorvel.example"),
    ("Northern Chronicle", "northernchronicle.example"),
    ("Evening Dispatch", "eveningdispatch.example"),
    ("Lakeside Post", "lakesidepost.example"),
]
PLACES = [
    "Corvel",
    "Brantham",
    "Harrowmere",
    "Veldora",
    "Ostwick",
    "Pellham",
    "Marrowby",
    "Kestrel Bay",
    "Dunmere",
    "Ashcombe",
    "Tollbridge",
    "Wrenfield",
]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
VERBS = [
    ("repair", "rebuild"),
    ("inspect", "audit"),
    ("expand", "enlarge"),
    ("replace", "renew"),
    ("reopen", "relaunch"),
    ("finance", "sponsor"),
    ("upgrade", "overhaul"),
    ("protect", "shield"),
    ("reorganise", "restructure"),
]
OBJECTS = [
    "harbour wall",
    "tram depot",
    "water network",
    "night clinic",
    "ferry terminal",
    "flood barrier",
    "bus corridor",
    "school kitchens",
    "labour exchange",
    "sports centre",
    "grain silo",
    "river bridge",
    "housing programme",
    "recycling plant",
]
ADJECTIVES = ["damaged", "crowded", "ageing", "neglected", "flooded", "overloaded", "outdated"]
ADVERBS = ["quickly", "fully", "carefully", "finally", "properly", "gradually"]
SUBJECTS = [
    ("we", "we", "they"),
    ("my office", "my office", "{pos} office"),
    ("the council", "the council", "the council"),
    ("our engineers", "our engineers", "their engineers"),
    ("the agency", "the agency", "the agency"),
]
SECOND = [
    "Families in {place} have waited long enough for this {noun}.",
    "Nobody in {place} should pay more for the {noun} than they pay today.",
    "Every contractor in {place} will have to publish the {noun} costs.",
    "The people of {place} deserve a {noun} that works every single day.",
    "We owe the workers of {place} a plan for the {noun} they can trust.",
    "The old {noun} in {place} was a warning we ignored for too long.",
    "Anyone who doubts the {noun} plan should come and see {place} for themselves.",
    "Residents of {place} told us plainly what the {noun} means to them.",
    "I have walked through {place} at night and seen why the {noun} matters.",
    "Shopkeepers along the main street of {place} asked for this {noun} years ago.",
    "Critics called the {noun} a luxury, but {place} cannot wait another winter.",
    "A second vote on the {noun} would only delay help for {place}.",
    "The engineers who surveyed {place} were blunt about the {noun}.",
    "Teachers and nurses in {place} will feel the {noun} first.",
]
# First sentences: {modal} is "will" or "will not"; {adv} an adverb and a space, or nothing.
FRAMES = [
    "{Subject} {modal} {adv}{verb} the {adj}{obj} in {place} by {month}, and {number} per cent "
    "of the money will come from the city.",
    "By {month}, {subject} {modal} {adv}{verb} the {adj}{obj} in {place}, with {number} per cent "
    "paid from reserves.",
    "{Subject} {modal} {adv}{verb} the {adj}{obj} in {place} before {month}; about {number} per "
    "cent of the bill falls on the region.",
    "After months of talks {subject} {modal} {adv}{verb} the {adj}{obj} in {place} by {month}, "
    "and lenders cover {number} per cent.",
    "In {place}, {subject} {modal} {adv}{verb} the {adj}{obj} by {month} even though only "
    "{number} per cent of the grant has arrived.",
    "{Subject} {modal} {adv}{verb} the {adj}{obj} in {place} by {month} at a cost near "
    "{number} per cent of this year's capital budget.",
]
NOUNS = ["project", "work", "repair", "investment", "decision", "budget", "schedule"]
FAITHFUL_SPELLINGS = {
    "harbour": "harbor",
    "labour": "labor",
    "centre": "center",
    "programme": "program",
    "reorganise": "reorganize",
    "ageing": "aging",
    "per cent": "percent",
}
KINDS = list(FINDING_KINDS)


@dataclass
class Person:
    first: str
    last: str
    role: str
    org: str
    pos: str

    @property
    def full(self) -> str:
        return f"{self.first} {self.last}"


@dataclass
class Statement:
    """One planted statement: its slots, its direct wording and its reported wording."""

    subject: tuple[str, str, str]
    verb: tuple[str, str]
    adjective: str
    obj: str
    month: str
    number: int
    place: str
    second: str
    noun: str
    frame: str = FRAMES[0]
    negated: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    def direct(self, person: Person, **change: Any) -> str:
        slots = {**self.__dict__, **change}
        modal = "will not" if slots["negated"] else "will"
        subject = slots["subject"][0]
        adjective = f"{slots['adjective']} " if slots["adjective"] else ""
        adverb = f"{slots['adverb']} " if slots.get("adverb") else ""
        first = slots["frame"].format(
            Subject=subject[0].upper() + subject[1:],
            subject=subject,
            modal=modal,
            adv=adverb,
            verb=slots["verb"][0],
            adj=adjective,
            obj=slots["obj"],
            place=slots["place"],
            month=slots["month"],
            number=slots["number"],
        )
        second = slots["second"].format(place=slots["place"], noun=slots["noun"])
        return f"{first} {second}" if slots.get("is_whole", True) else first

    def reported(self, person: Person) -> str:
        modal = "would not" if self.negated else "would"
        subject = self.subject[2].format(pos=person.pos)
        return (
            f"{subject} {modal} {self.verb[0]} the {self.adjective} {self.obj} in {self.place} "
            f"by {self.month}"
        )

    def paraphrased(self, person: Person) -> str:
        modal = "will not" if self.negated else "will"
        subject = self.subject[1]
        return (
            f"{subject[0].upper()}{subject[1:]} {modal} {self.verb[0]} the {self.adjective} "
            f"{self.obj} in {self.place} by {self.month}."
        )


def _statement(rng: random.Random) -> Statement:
    return Statement(
        subject=rng.choice(SUBJECTS),
        verb=rng.choice(VERBS),
        adjective=rng.choice(ADJECTIVES),
        obj=rng.choice(OBJECTS),
        month=rng.choice(MONTHS),
        number=rng.choice([15, 20, 25, 30, 35, 40, 45, 60, 70, 80]),
        place=rng.choice(PLACES),
        second=rng.choice(SECOND),
        noun=rng.choice(NOUNS),
        negated=rng.random() < 0.3,
        frame=rng.choice(FRAMES),
    )


def _other(rng: random.Random, values: list[Any], current: Any) -> Any:
    return rng.choice([value for value in values if value != current])


def _quote(text: str, curly: bool) -> str:
    return f"“{text}”" if curly else f'"{text}"'


def _said(text: str) -> str:
    # "... today," Velin said: the final stop of the quote becomes a comma.
    return text[:-1] + "," if text.endswith(".") else text


def _altered(
    kind: str, statement: Statement, person: Person, rng: random.Random, stranger: Person
) -> tuple[str, Person]:
    """The copy's direct wording and speaker with one planted alteration of ``kind``."""
    if kind == "trimmed":
        if rng.random() < 0.5:
            return statement.direct(person, is_whole=False), person
        whole = statement.direct(person)
        return whole.replace(f"the {statement.adjective} {statement.obj}", "the ...", 1), person
    if kind == "words_inserted":
        return statement.direct(person, adverb=rng.choice(ADVERBS)), person
    if kind == "words_dropped":
        return statement.direct(person, adjective=""), person
    if kind == "words_substituted":
        return statement.direct(person, verb=(statement.verb[1],)), person
    if kind == "negation_changed":
        return statement.direct(person, negated=not statement.negated), person
    if kind == "number_changed":
        number = _other(rng, [15, 20, 25, 30, 35, 40, 45, 60, 70, 80], statement.number)
        return statement.direct(person, number=number), person
    if kind == "date_changed":
        return statement.direct(person, month=_other(rng, MONTHS, statement.month)), person
    if kind == "name_changed":
        return statement.direct(person, place=_other(rng, PLACES, statement.place)), person
    if kind == "speaker_changed":
        return statement.direct(person), stranger
    return statement.direct(person), person


def _faithful(text: str, rng: random.Random) -> str:
    for british, american in FAITHFUL_SPELLINGS.items():
        if british in text and rng.random() < 0.7:
            text = text.replace(british, american)
    if rng.random() < 0.3:
        text = text.replace(" per cent", "%")
    return text


def build(origins: int, seed: int) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """The corpus (JSONL records, first reports before their copies) and, per copy URL, the
    kind planted (``"faithful"`` for none)."""
    rng = random.Random(seed)  # noqa: S311 - a reproducible corpus, not a secret
    records: list[dict[str, Any]] = []
    planted: dict[str, str] = {}
    start = date(2025, 1, 6)
    plan = [KINDS[i % len(KINDS)] for i in range(origins * 2)]
    surnames = [prefix + suffix for prefix in PREFIXES for suffix in SUFFIXES]
    rng.shuffle(surnames)
    if origins * 2 > len(surnames):
        sys.exit(f"at most {len(surnames) // 2} first reports: each needs two unique surnames")
    rng.shuffle(plan)
    for index in range(origins):
        first, last = rng.choice(FIRST), surnames[2 * index]
        person = Person(
            first, last, rng.choice(ROLES), rng.choice(ORGS), rng.choice(["his", "her"])
        )
        stranger = Person(
            rng.choice(FIRST),
            surnames[2 * index + 1],
            rng.choice(ROLES),
            rng.choice(ORGS),
            "her",
        )
        day = start + timedelta(days=index * 3)
        outlet, host = rng.choice(OUTLETS)
        told, plain = _statement(rng), _statement(rng)
        told.second, plain.second = rng.sample(SECOND, 2)
        indirect = _statement(rng)
        body = (
            f"{person.full} is the {person.role} of {person.org}.\n\n"
            f"{_quote(_said(told.direct(person)), False)} {person.last} told the {outlet}.\n\n"
            f"{person.last} said {indirect.reported(person)}.\n\n"
            f"{_quote(_said(plain.direct(person)), False)} {person.last} said."
        )
        records.append(
            {
                "title": f"{person.full} on the {told.obj} in {told.place}",
                "text": body,
                "url": f"https://{host}/origin-{index}",
                "published": day.isoformat(),
                "outlet": outlet,
            }
        )
        copies = [plan[2 * index], plan[2 * index + 1], "faithful", "faithful"]
        for number, kind in enumerate(copies):
            copy_outlet, copy_host = _other(rng, OUTLETS, (outlet, host))
            statement = rng.choice([told, plain])
            credit = rng.choice(
                [f"{{who}} told the {outlet}", f"{{who}} said, according to the {outlet}"]
            )
            speaker = person
            curly = rng.random() < 0.5
            if kind == "paraphrase_as_direct":
                wording = _quote(_said(indirect.paraphrased(person)), curly)
            elif kind == "faithful":
                wording = _quote(_said(_faithful(statement.direct(person), rng)), curly)
            elif kind == "relay_lost":
                wording = _quote(_said(statement.direct(person)), curly)
                credit = rng.choice(
                    [
                        f"{{who}} told the {copy_outlet}",
                        f"{{who}} said in an interview with the {copy_outlet}",
                    ]
                )
            else:
                text, speaker = _altered(kind, statement, person, rng, stranger)
                wording = _quote(_said(text), curly)
            copy_body = (
                f"{speaker.full} is the {speaker.role} of {speaker.org}.\n\n"
                f"{wording} {credit.format(who=speaker.last)}."
            )
            url = f"https://{copy_host}/copy-{index}-{number}"
            records.append(
                {
                    "title": f"{speaker.last} speaks on the {statement.obj}",
                    "text": copy_body,
                    "url": url,
                    "published": (day + timedelta(days=1 + number % 3)).isoformat(),
                    "outlet": copy_outlet,
                }
            )
            planted[url] = kind
    return records, planted


def score(
    found: dict[str, set[str]], high: dict[str, int], planted: dict[str, str]
) -> dict[str, Any]:
    """Per kind precision and recall over copies; high-severity findings on faithful copies."""
    report: dict[str, Any] = {}
    for kind in KINDS:
        relevant = {url for url, want in planted.items() if want == kind}
        predicted = {url for url, kinds in found.items() if kind in kinds}
        hits = len(relevant & predicted)
        report[kind] = {
            "planted": len(relevant),
            "found": len(predicted),
            "precision": hits / len(predicted) if predicted else 1.0,
            "recall": hits / len(relevant) if relevant else 1.0,
        }
    faithful = [url for url, want in planted.items() if want == "faithful"]
    report["faithful"] = {
        "copies": len(faithful),
        "with_high_finding": sum(1 for url in faithful if high.get(url, 0)),
        "with_any_finding": sum(1 for url in faithful if found.get(url)),
    }
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--origins", type=int, default=280)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--model", default="fast")
    parser.add_argument("--keep", type=Path, default=None, help="write the corpus and db here")
    args = parser.parse_args()
    records, planted = build(args.origins, args.seed)
    workdir = args.keep or Path(tempfile.mkdtemp(prefix="onrecord-fidelity-"))
    workdir.mkdir(parents=True, exist_ok=True)
    corpus = workdir / "planted.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    kinds = Counter(planted.values())
    print(
        f"fidelity_planted: {len(records)} articles, {len(planted)} copies: "
        + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items()))
    )
    settings = Settings()
    extractor = create_extractor(args.model)
    started = time.perf_counter()
    with Store.open(workdir / "planted.db") as store:
        summary = store_outcomes(
            extract_paths([str(corpus)], extractor, settings), store, settings.batch_size
        )
        took = time.perf_counter() - started
        print(f"ingested {summary.ingested} (failed {summary.failed}) in {took:.1f} s")
        found: dict[str, set[str]] = defaultdict(set)
        high: dict[str, int] = Counter()
        for finding in store.fidelity(limit=10_000_000):
            url = finding.occurrence.url or ""
            found[url].add(finding.kind)
            high[url] += finding.severity == "high"
    report = score(found, high, planted)
    print(f"{'kind':24} {'planted':>7} {'found':>6} {'precision':>9} {'recall':>7}")
    failing = 0
    for kind in KINDS:
        row = report[kind]
        failing += row["precision"] < 0.9 or row["recall"] < 0.9
        print(
            f"{kind:24} {row['planted']:7d} {row['found']:6d} "
            f"{row['precision']:9.3f} {row['recall']:7.3f}"
        )
    faithful = report["faithful"]
    print(
        f"faithful copies: {faithful['copies']}, with a high-severity finding: "
        f"{faithful['with_high_finding']}, with any finding: {faithful['with_any_finding']}"
    )
    print(f"kinds below .90 precision or recall: {failing}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
