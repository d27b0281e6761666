"""The Jinja2 environment of the pages: autoescaping always on, a few display filters."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Final
from urllib.parse import urlencode

from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from onrecord.models import ARTICLE_FLAGS
from onrecord.store._speakers import slugify
from onrecord.web._render import highlight, safe_url

TEMPLATES_DIR: Final = Path(__file__).with_name("templates")
STATIC_DIR: Final = Path(__file__).with_name("static")


def _date(value: date | None) -> str:
    return value.isoformat() if value is not None else "undated"


def _query(params: dict[str, object]) -> str:
    kept = {k: str(v) for k, v in params.items() if v not in (None, "")}
    return "?" + urlencode(kept) if kept else ""


def _slug(name: str | None) -> str:
    return slugify(name) if name else ""


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["isodate"] = _date
    env.filters["safe_url"] = safe_url
    env.filters["slug"] = _slug
    env.globals["highlight"] = highlight
    env.globals["flag_notes"] = ARTICLE_FLAGS
    env.globals["query"] = _query
    return env


TEMPLATES: Final = Jinja2Templates(env=_environment())
