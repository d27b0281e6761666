"""Read a PolNeAR split: article texts plus brat standoff attributions -> ``GoldArticle`` values.

A split folder holds ``text/NAME.txt`` and ``attributions/NAME_XXXX.ann`` (``XXXX`` names the
annotator). An article annotated more than once is scored against its alphabetically first
annotation file. Every ``E`` line (``Attribution`` or ``Attribution-no-source``) with at least one
Content fragment is one gold attribution; ``Content2``-style numbered roles count as their base
role. Texts are read without newline translation, so annotation offsets index them directly.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass
from pathlib import Path

from onrecord.errors import ConfigError
from onrecord.evaluation._match import DOUBLE_QUOTES, Fragments, merge_fragments, trim_fragments

log = logging.getLogger(__name__)

_TEXT_BOUND = re.compile(r"^(T\d+)\t(\S+) ([\d ;]+)\t")
_EVENT = re.compile(r"^(E\d+)\t(\S+)")
_ANN_NAME = re.compile(r"^(?P<name>.+)_(?P<annotator>[^/]{4})\.ann$")


# Personal and relative pronouns that stand alone as a Source mention.
SOURCE_PRONOUNS = frozenset(
    [
        "he",
        "she",
        "they",
        "it",
        "i",
        "we",
        "you",
        "him",
        "her",
        "them",
        "his",
        "their",
        "its",
        "who",
    ]
)


@dataclass(frozen=True, slots=True)
class GoldAttribution:
    """One annotated attribution; spans are sorted, merged ``(start, end)`` fragments."""

    id: str
    content: Fragments
    cue: Fragments
    source: Fragments
    content_trimmed: Fragments
    content_text: str
    source_text: str

    @property
    def is_direct(self) -> bool:
        """True when the annotated content holds a double quotation mark."""
        return any(mark in self.content_text for mark in DOUBLE_QUOTES)

    @property
    def kind(self) -> str:
        """The gold kind, read off the annotated content's quotation marks.

        ``direct`` when the content opens and closes with a double quotation mark (after
        trailing punctuation), ``mixed`` when it holds one elsewhere, else ``indirect``.
        """
        core = self.content_text.strip().rstrip(".,;:!?—–- ")
        if core[:1] in DOUBLE_QUOTES and core[-1:] in DOUBLE_QUOTES:
            return "direct"
        return "mixed" if self.is_direct else "indirect"

    @property
    def has_source(self) -> bool:
        """True unless the annotation is an ``Attribution-no-source``."""
        return bool(self.source)

    @property
    def source_kind(self) -> str:
        """What the gold Source mention is: ``pronoun``, ``named``, ``nominal`` or ``none``.

        ``named`` when a word after the first is capitalised ("Senator Ann Lee") or the
        mention is one capitalised word ("Lee"); ``nominal`` for the rest ("the official",
        "aides to the governor").
        """
        words = self.source_text.split()
        if not words:
            return "none"
        if len(words) == 1 and words[0].lower() in SOURCE_PRONOUNS:
            return "pronoun"
        if any(w[:1].isupper() for w in words[1:]) or (len(words) == 1 and words[0][:1].isupper()):
            return "named"
        return "nominal"


@dataclass(frozen=True, slots=True)
class GoldArticle:
    """An article text with the attributions of one annotator."""

    name: str
    path: Path
    text: str
    annotator: str
    attributions: tuple[GoldAttribution, ...]

    @property
    def file_name(self) -> str:
        """The text file's name, ``NAME.txt``."""
        return self.path.name


def _parse_fragments(spec: str) -> list[tuple[int, int]]:
    fragments = []
    for part in spec.split(";"):
        start, end = part.split()
        fragments.append((int(start), int(end)))
    return fragments


def _role_base(role: str) -> str:
    return role.rstrip("0123456789")


def parse_ann(content: str, text: str) -> tuple[GoldAttribution, ...]:
    """Parse one brat ``.ann`` file's content into gold attributions over ``text``.

    Args:
        content: The ``.ann`` file as read (multi-line span texts are tolerated and skipped).
        text: The article text the offsets index.

    Returns:
        The attributions in file order; events without Content are left out.
    """
    spans: dict[str, list[tuple[int, int]]] = {}
    events: list[tuple[str, list[tuple[str, str]]]] = []
    for line in content.split("\n"):
        bound = _TEXT_BOUND.match(line)
        if bound:
            spans[bound.group(1)] = _parse_fragments(bound.group(3))
            continue
        event = _EVENT.match(line)
        if event:
            args = line.split("\t")[1].split()[1:]
            roles = [(_role_base(role), ref) for role, _, ref in (a.partition(":") for a in args)]
            events.append((event.group(1), roles))

    gold = []
    for event_id, roles in events:

        def gather(base: str, roles: list[tuple[str, str]] = roles) -> Fragments:
            return merge_fragments(
                fragment for role, ref in roles if role == base for fragment in spans.get(ref, [])
            )

        content_fragments = gather("Content")
        if not content_fragments:
            continue
        source = gather("Source")
        gold.append(
            GoldAttribution(
                id=event_id,
                content=content_fragments,
                cue=gather("Cue"),
                source=source,
                content_trimmed=trim_fragments(text, content_fragments),
                content_text=" ".join(text[s:e] for s, e in content_fragments),
                source_text=" ".join(text[s:e] for s, e in source),
            )
        )
    return tuple(gold)


def _read_text(path: Path) -> str:
    # newline="" keeps "\r\n" as two characters: brat offsets count them both.
    with path.open(encoding="utf-8", newline="") as handle:
        return handle.read()


def _annotation_files(split_dir: Path) -> dict[str, Path]:
    """Map article name -> its alphabetically first annotation file."""
    chosen: dict[str, Path] = {}
    for path in sorted((split_dir / "attributions").glob("*.ann")):
        match = _ANN_NAME.match(path.name)
        if match and match.group("name") not in chosen:
            chosen[match.group("name")] = path
    return chosen


def read_split(split_dir: Path, limit: int | None = None) -> list[GoldArticle]:
    """Read the annotated articles of a PolNeAR split, sorted by name.

    Args:
        split_dir: A folder with ``text/`` and ``attributions/``.
        limit: Keep only the first ``limit`` annotated articles (``None`` or 0: all).

    Returns:
        One ``GoldArticle`` per text that has an annotation file.

    Raises:
        ConfigError: The folder holds no ``text/*.txt``.
    """
    texts = sorted((split_dir / "text").glob("*.txt"))
    if not texts:
        raise ConfigError(
            f"[{ConfigError.code}] no texts under {split_dir}/text; pass a PolNeAR split folder "
            "that holds text/ and attributions/ (for example ../shared/data/polnear/dev)."
        )
    annotations = _annotation_files(split_dir)
    articles = []
    for text_path in texts:
        name = text_path.stem
        ann_path = annotations.get(name)
        if ann_path is None:
            log.debug("no annotation for %s; skipped", name)
            continue
        text = _read_text(text_path)
        articles.append(
            GoldArticle(
                name=name,
                path=text_path,
                text=text,
                annotator=ann_path.name[-8:-4],
                attributions=parse_ann(_read_text(ann_path), text),
            )
        )
        if limit and len(articles) >= limit:
            break
    log.info("read %d annotated articles from %s", len(articles), split_dir)
    return articles


def gold_digest(split_dir: Path) -> str:
    """SHA-256 over the sorted names and contents of a split's annotation files.

    Args:
        split_dir: A folder with ``attributions/``.

    Returns:
        The hex digest; it changes when any annotation file is added, removed or edited.
    """
    digest = hashlib.sha256()
    for path in sorted((split_dir / "attributions").glob("*.ann"), key=lambda p: p.name):
        digest.update(path.name.encode("utf-8"))
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()
