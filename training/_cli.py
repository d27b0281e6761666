"""What every training command does before it runs: logging, and no network for model files."""

from __future__ import annotations

import argparse
import logging
import os
from collections.abc import Callable


def start(run: Callable[[argparse.Namespace], None], args: argparse.Namespace) -> None:
    """Set up logging (these modules are commands of their own) and run offline."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    run(args)
