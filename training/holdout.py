"""Write the held-out training articles as a split folder: ``python -m training.holdout``.

The encoder's training keeps ``--count`` articles of the training split out (the same seeded
sample ``training.encoder_train`` leaves out). Linking them into ``OUT/text`` and
``OUT/attributions`` lets ``onrecord eval polnear OUT`` score choices (checkpoint, quantization)
without touching the dev split.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from onrecord.evaluation import read_split
from training.encoder_data import held_out_names


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--data", required=True, help="PolNeAR training split folder")
    parser.add_argument("--out", default="build/encoder/holdout", help="folder to write")
    parser.add_argument("--count", type=int, default=40)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args(argv)
    data = Path(args.data).resolve()
    held = held_out_names([a.name for a in read_split(data)], args.count, args.seed)
    out = Path(args.out)
    for sub in ("text", "attributions"):
        (out / sub).mkdir(parents=True, exist_ok=True)
    for path in sorted((data / "text").glob("*.txt")):
        if path.stem in held:
            (out / "text" / path.name).unlink(missing_ok=True)
            (out / "text" / path.name).symlink_to(path)
    for path in sorted((data / "attributions").glob("*.ann")):
        if any(path.stem == name or path.stem.startswith(name + "_") for name in held):
            (out / "attributions" / path.name).unlink(missing_ok=True)
            (out / "attributions" / path.name).symlink_to(path)


if __name__ == "__main__":
    main()
