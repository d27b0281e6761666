"""Opening an onnxruntime session for a shipped model, with one clear error when that fails."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from onrecord.errors import ExtractError

if TYPE_CHECKING:
    import onnxruntime


def open_session(
    path: Path, threads: int, what: str, command: str, *, plans_memory: bool = True
) -> onnxruntime.InferenceSession:
    """A CPU session over the ONNX file at ``path``.

    Args:
        path: the ``.onnx`` file.
        threads: intra-op threads (one per process is fastest on a shared machine).
        what: the model's name in error messages.
        command: the command that rebuilds the model, named in error messages.
        plans_memory: onnxruntime's memory pattern (a buffer plan kept per input shape).
            Inputs whose shape changes with nearly every call gain nothing from it and pay
            for planning each new shape; the outputs are the same either way.

    Raises:
        ExtractError: the file is missing or unreadable, or onnxruntime is not installed.
    """
    if not path.is_file():
        raise ExtractError(
            f"[{ExtractError.code}] no {what} at {path}; run `{command}` to build it."
        )
    try:
        import onnxruntime
    except ImportError as exc:
        raise ExtractError(
            f"[{ExtractError.code}] the {what} needs onnxruntime: {exc}. "
            "Install the project dependencies (`make install`)."
        ) from exc
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.enable_mem_pattern = plans_memory
    try:
        return onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    except Exception as exc:  # onnxruntime raises its own untyped errors for bad files
        raise ExtractError(
            f"[{ExtractError.code}] cannot read the {what} {path}: {exc}; "
            f"rebuild it with `{command}`."
        ) from exc
