"""Output stage: atomic writes, so a failed or killed run never leaves a half-written or lost file.

Every output goes to a temporary file in the target folder and is moved into place with `os.replace`,
which is atomic on the same filesystem: readers see the old file or the new one, never a mix.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


class OutputError(Exception):
    """The output cannot be written where asked; the message says why in plain words."""


def check_target(target: str | Path, *, inputs: tuple[str | Path, ...] = ()) -> Path:
    """Refuse a missing folder, a folder as target, or writing over an input file."""
    path = Path(target)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(f"{target}: the folder '{folder}' does not exist; create it first or choose another")
    if path.is_dir():
        raise OutputError(f"{target}: is a folder; give a file name such as {Path(target) / 'timeline.pdf'}")
    for source in inputs:
        with contextlib.suppress(OSError):
            if path.exists() and os.path.samefile(path, source):
                raise OutputError(f"{target}: is the input file; choose another output name")
    return path


def write_atomic(target: str | Path, data: bytes, *, inputs: tuple[str | Path, ...] = ()) -> None:
    """Write `data` to `target` via a temporary file in the same folder and `os.replace`."""
    path = check_target(target, inputs=inputs)
    folder = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=".timeline-", suffix=".part", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
