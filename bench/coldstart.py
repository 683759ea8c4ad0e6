"""The environment a benchmark times a new `timeline` process in: as an installed tool starts.

`pip install .` byte-compiles the package, so an installed `timeline` never compiles its own source. A
checkout does not, and a shell with `PYTHONDONTWRITEBYTECODE` set (to anything, even "0": Python reads any
non-empty value as set) never writes the compiled files either, so every new process compiled about a
hundred modules again: about 0.3 s of a cold PDF here, time a user of the installed tool never spends, and
time the matplotlib peer (compiled by pip) does not spend either. `compiled_env` compiles the package once,
as the install does, and drops the variable for the processes it times.
"""

from __future__ import annotations

import compileall
import os
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@cache
def _compile_package() -> None:
    """Byte-compile the package once per benchmark process (later calls would only re-check the files)."""
    compileall.compile_dir(str(ROOT / "timeline"), quiet=1)


def compiled_env(**extra: str) -> dict[str, str]:
    """This process's environment without `PYTHONDONTWRITEBYTECODE` (plus `extra`), after byte-compiling the
    `timeline` package of this tree as `pip install` would."""
    _compile_package()
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    env.update(extra)
    return env
