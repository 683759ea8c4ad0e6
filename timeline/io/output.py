"""Output stage: atomic writes, so a failed or killed run never leaves a half-written or lost file.

Every output goes to a temporary file in the target folder and is moved into place with `os.replace`,
which is atomic on the same filesystem: readers see the old file or the new one, never a mix. A failed
run removes its temporary file; a killed run cannot, so the next write into that folder removes the
temporary files it can prove stale: those of this host (and process namespace) whose process no longer
exists, and any older than a day, whoever wrote them (a live render lasts seconds; another container or
host sharing the folder has process ids this one cannot judge).

Only a regular file (or a new name) is a target: a device, FIFO or socket (`/dev/null`, `/dev/stdout`)
is refused, never swapped for a file holding a child's chart. The output gets the permissions any new
file in that folder would get (the umask and the folder's default ACL decide), never wider than the file
it replaces.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import secrets
import stat
import time
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import BinaryIO

from ..problems import shown_name

TEMP_PREFIX = ".timeline-"
TEMP_SUFFIX = ".part"
STALE_AGE_S = 24 * 60 * 60  # a temporary file this old is stale whoever wrote it
_TEMP_NAME = re.compile(
    re.escape(TEMP_PREFIX) + r"(\d+)-(?:([0-9a-f]{8})-)?[A-Za-z0-9_]+" + re.escape(TEMP_SUFFIX) + "$"
)


class OutputError(Exception):
    """The output cannot be written where asked; the message says why in plain words."""


def check_target(target: str | Path, *, inputs: tuple[str | Path, ...] = ()) -> Path:
    """Refuse a missing folder, a folder, a device/FIFO/socket as target, or writing over an input file."""
    path = Path(target)
    shown = shown_name(str(target))
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(f"{shown}: the folder '{shown_name(str(folder))}' does not exist; create it first or "
                          "choose another")
    if path.is_dir():
        raise OutputError(f"{shown}: is a folder; give a file name such as "
                          f"{shown_name(str(Path(target) / 'timeline.pdf'))}")
    try:
        mode = os.stat(path).st_mode  # follows a link: /dev/stdout is a link to the terminal or a pipe
    except FileNotFoundError:
        mode = None
    except OSError:
        mode = None
    if mode is not None and not stat.S_ISREG(mode):
        raise OutputError(f"{shown}: is not a regular file (a device, pipe or socket); give the name of a file to "
                          "write, e.g. timeline.pdf")
    for source in inputs:
        with contextlib.suppress(OSError):
            if path.exists() and os.path.samefile(path, source):
                raise OutputError(f"{shown}: is the input file; choose another output name")
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
    fd, tmp = _create_temp(folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            _no_wider_than(fh.fileno(), path)
            os.fsync(fh.fileno())
        check_target(path, inputs=inputs)  # still a regular file (or absent) now the render is done
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_atomic(target: str | Path, data: bytes, *, inputs: tuple[str | Path, ...] = ()) -> None:
    """Write `data` to `target` via a temporary file in the same folder and `os.replace`."""
    with atomic_output(target, inputs=inputs) as fh:
        fh.write(data)


def check_folder(folder: str | Path) -> None:
    """Make sure a file can be created in `folder` (a batch asks before rendering anything): OutputError if not."""
    try:
        fd, tmp = _create_temp(Path(folder))
    except OSError as exc:
        raise OutputError(f"{shown_name(str(folder))}: cannot write into this folder "
                          f"({exc.strerror or exc.__class__.__name__})") from None
    os.close(fd)
    with contextlib.suppress(OSError):
        os.unlink(tmp)


def _create_temp(folder: Path) -> tuple[int, str]:
    """A new, empty temporary file in `folder`, created with mode 0666 so the umask and the folder's default
    ACL give it exactly the permissions of any new file there (mkstemp's 0600 would need a chmod)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        name = f"{TEMP_PREFIX}{os.getpid()}-{host_token()}-{secrets.token_hex(6)}{TEMP_SUFFIX}"
        tmp = os.path.join(folder, name)
        try:
            return os.open(tmp, flags, 0o666), tmp
        except FileExistsError:
            continue
    raise OSError(errno.EEXIST, "no free temporary file name")


def _no_wider_than(fd: int, path: Path) -> None:
    """Narrow the new file's permissions to those of the file it replaces, if that one is narrower."""
    try:
        old = os.stat(path).st_mode
    except OSError:
        return
    mine = os.fstat(fd).st_mode
    narrowed = stat.S_IMODE(mine) & stat.S_IMODE(old)
    if narrowed != stat.S_IMODE(mine):
        os.fchmod(fd, narrowed)


@cache
def host_token() -> str:
    """8 hex digits naming this host and process namespace: a temporary file carrying them was written by a
    process whose id this process can check; any other was not."""
    try:
        namespace = str(os.stat("/proc/self/ns/pid").st_ino)
    except OSError:
        namespace = ""
    host = os.uname().nodename if hasattr(os, "uname") else os.environ.get("COMPUTERNAME", "")
    return hashlib.sha256(f"{host}/{namespace}".encode()).hexdigest()[:8]


def _remove_stale(folder: Path) -> None:
    """Remove temporary files left by killed runs: this host's whose process is gone, and any a day old."""
    now = time.time()
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            match = _TEMP_NAME.match(entry.name)
            if not match or not entry.is_file(follow_symlinks=False):
                continue
            ours = match.group(2) == host_token()
            with contextlib.suppress(OSError):
                old = now - entry.stat(follow_symlinks=False).st_mtime > STALE_AGE_S
                if old or (ours and not _alive(int(match.group(1)))):
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


_SCENE_JSON_START = b'{\n "width":'  # how every scene JSON this tool writes begins


def holds_case(target: str | Path) -> bool:
    """True when `target` is an existing case file (YAML, or JSON that is not a scene JSON of ours): writing
    over it needs --force, as `timeline init` does, since it may be the only copy of someone's work."""
    path = Path(target)
    if path.suffix.lower() not in (".yaml", ".yml", ".json"):
        return False
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return False
        with open(path, "rb") as fh:
            head = fh.read(len(_SCENE_JSON_START))
    except OSError:
        return False
    if path.suffix.lower() == ".json":
        return head != _SCENE_JSON_START and bool(head.strip())
    return True
