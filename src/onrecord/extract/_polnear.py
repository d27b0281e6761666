"""Read PolNeAR brat standoff annotations (training data for the attribution tagger).

Input: a split folder with ``text/NAME.txt`` and ``attributions/NAME_ANNO.ann``. Output:
``GoldArticle`` values. Articles with several annotators use the alphabetically first one.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from onrecord.errors import ExtractError

Fragments = tuple[tuple[int, int], ...]


@dataclass(frozen=True, slots=True)
class GoldAttribution:
    """One annotated attribution: fragment lists for content, cue and source."""

    content: Fragments
    cue: Fragments
    source: Fragments


@dataclass(frozen=True, slots=True)
class GoldArticle:
    """An article text and its annotated attributions."""

    name: str
    text: str
    attributions: tuple[GoldAttribution, ...]


def _offsets(spec: str) -> Fragments:
    frags = []
    for part in spec.split(";"):
        start, end = part.split()
        frags.append((int(start), int(end)))
    return tuple(sorted(frags))


def _read_ann(path: Path) -> tuple[GoldAttribution, ...]:
    bounds: dict[str, Fragments] = {}
    events: list[dict[str, list[str]]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        cols = line.split("\t")
        if len(cols) < 2:
            continue
        if line.startswith("T"):
            _, spec = cols[1].split(" ", 1)
            bounds[cols[0]] = _offsets(spec)
        elif line.startswith("E"):
            roles: dict[str, list[str]] = defaultdict(list)
            for part in cols[1].split()[1:]:
                role, ref = part.split(":")
                roles[re.sub(r"\d+$", "", role)].append(ref)
            events.append(roles)
    out = []
    for roles in events:

        def frags(role: str, roles: dict[str, list[str]] = roles) -> Fragments:
            return tuple(sorted(f for ref in roles.get(role, []) for f in bounds.get(ref, ())))

        content = frags("Content")
        if content:
            out.append(GoldAttribution(content, frags("Cue"), frags("Source")))
    return tuple(out)


def read_split(folder: Path) -> list[GoldArticle]:
    """Read every annotated article of a PolNeAR split folder.

    Args:
        folder: A split directory holding ``text/`` and ``attributions/``.

    Returns:
        Articles sorted by name.

    Raises:
        ExtractError: The folder holds no annotated texts.
    """
    articles = []
    for text_path in sorted((folder / "text").glob("*.txt")):
        name = text_path.stem
        anns = sorted((folder / "attributions").glob(f"{name}_????.ann"))
        if not anns:
            continue
        with text_path.open(encoding="utf-8", newline="") as handle:
            text = handle.read()
        articles.append(GoldArticle(name, text, _read_ann(anns[0])))
    if not articles:
        raise ExtractError(
            f"[{ExtractError.code}] no annotated articles under {folder}; "
            "pass a PolNeAR split folder holding text/ and attributions/."
        )
    return articles
