"""The store knows tables and queries only: what it imports of the rest of onrecord."""

from __future__ import annotations

import ast
from pathlib import Path

STORE = Path(__file__).resolve().parents[2] / "src" / "onrecord" / "store"
# Packages whose results are derived from stored articles: the store must not reach into them.
DERIVING = ("onrecord.derive", "onrecord.positions", "onrecord.pipeline")
# Packages the store may import only through their public names (records, pure helpers).
PUBLIC_ONLY = ("onrecord.stories", "onrecord.fidelity")


def _imports(path: Path) -> set[str]:
    """Every module ``path`` imports, at any depth (``from x import y`` counts ``x`` and
    ``x.y``, so a private module imported by name is seen too)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module is not None:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _is_private(module: str, package: str) -> bool:
    rest = module[len(package) :].lstrip(".")
    return any(part.startswith("_") for part in rest.split(".") if part)


def test_the_store_imports_no_private_module_of_the_derived_data() -> None:
    wrong: list[tuple[str, str]] = []
    for path in sorted(STORE.glob("*.py")):
        for module in _imports(path):
            if module.startswith(DERIVING):
                wrong.append((path.name, module))
            for package in PUBLIC_ONLY:
                if module.startswith(package) and _is_private(module, package):
                    wrong.append((path.name, module))
    assert wrong == []


def test_the_check_sees_a_private_import() -> None:
    # The check above would pass on an empty folder; it must see what it looks for.
    assert _is_private("onrecord.stories._similarity", "onrecord.stories")
    assert not _is_private("onrecord.stories.chronological_key", "onrecord.stories")
    imported = _imports(STORE / "_story_queries.py")
    assert "onrecord.stories.chronological_key" in imported
    assert sum(1 for _ in STORE.glob("*.py")) > 10
