"""Score extractor variants on the held-out training articles: ``python -m training.choose``.

Each ``--variant NAME[:KEY=VALUE,...]`` is built with ``create_extractor(NAME, **settings)``
(values are read as numbers where they parse as one, as paths for keys ending in ``_dir``) and
scored on the split that ``training.holdout`` wrote. Choices between variants (checkpoint,
quantization, ensemble weight) are made here, never on the dev split.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

from onrecord.evaluation import run_polnear_eval
from onrecord.extract import create_extractor


def parse_variant(text: str) -> tuple[str, dict[str, Any]]:
    """``attrib.ensemble.v1:weight=0.5,crf_dir=build/crf`` -> name and settings."""
    name, _, rest = text.partition(":")
    settings: dict[str, Any] = {}
    for item in filter(None, rest.split(",")):
        key, _, value = item.partition("=")
        if key.endswith("_dir"):
            settings[key] = Path(value)
            continue
        try:
            settings[key] = int(value)
        except ValueError:
            settings[key] = float(value)
    return name, settings


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--split", default="build/encoder/holdout", help="held-out split folder")
    parser.add_argument("--variant", action="append", required=True, help="NAME[:KEY=VALUE,...]")
    args = parser.parse_args(argv)
    print("| variant | loose F1 | Q+S F1 | strict F1 | exact F1 | s |")  # noqa: T201
    print("|---|---|---|---|---|---|")  # noqa: T201
    for text in args.variant:
        name, settings = parse_variant(text)
        started = time.monotonic()
        report = run_polnear_eval(Path(args.split), extractor=create_extractor(name, **settings))
        t = report.thresholds
        print(  # noqa: T201 - a report script
            f"| {text} | {t['loose'].quote.f1:.3f} | {t['loose'].quote_speaker.f1:.3f} "
            f"| {t['strict'].quote.f1:.3f} | {t['exact'].quote.f1:.3f} "
            f"| {time.monotonic() - started:.0f} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
