"""Output stage: atomic writes, so a failed or killed run never leaves a half-written or lost file.

Every output goes to a temporary file in the target folder and is moved into place with `os.replace`,
which is atomic on the same filesystem: readers see the old file or the new one, never a mix. A failed
run removes its temporary file; a killed run cannot, so the next write into that folder removes the
temporary files of processes that no longer exist (their names carry the writer's process id).
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

TEMP_PREFIX = ".timeline-"
TEMP_SUFFIX = ".part"
_TEMP_NAME = re.compile(re.escape(TEMP_PREFIX) + r"(\d+)-[A-Za-z0-9_]+" + re.escape(TEMP_SUFFIX) + "$")


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


@contextlib.contextmanager
def atomic_output(target: str | Path, *, inputs: tuple[str | Path, ...] = ()) -> Iterator[BinaryIO]:
    """A file to write the output into, moved over `target` only when the block ends without an error.

    The target is checked first (before any slow render) and the temporary file exists for the whole
    block; on any error, or if nothing was written, `target` is left exactly as it was.
    """
    path = check_target(target, inputs=inputs)
    folder = path.parent if str(path.parent) else Path(".")
    _remove_stale(folder)
    fd, tmp = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{os.getpid()}-", suffix=TEMP_SUFFIX, dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_atomic(target: str | Path, data: bytes, *, inputs: tuple[str | Path, ...] = ()) -> None:
    """Write `data` to `target` via a temporary file in the same folder and `os.replace`."""
    with atomic_output(target, inputs=inputs) as fh:
        fh.write(data)


def _remove_stale(folder: Path) -> None:
    """Remove temporary files left by killed runs (their process is gone); never anything else."""
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            match = _TEMP_NAME.match(entry.name)
            if match and entry.is_file(follow_symlinks=False) and not _alive(int(match.group(1))):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True  # someone else's process, or not ours to judge: leave its file alone
    return True


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
