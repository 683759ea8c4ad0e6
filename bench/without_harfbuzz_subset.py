"""Benchmark (runs the CLI stage as a machine without `libharfbuzz-subset0` would): the `timeline`
command with WeasyPrint told that HarfBuzz's subsetter is missing.

    python bench/without_harfbuzz_subset.py render samples/adoption.yaml -o x.pdf
    python bench/without_harfbuzz_subset.py --probe "import weasyprint.text.ffi as f; print(f.harfbuzz_subset)"

WeasyPrint loads the subsetter itself, optionally (with cffi's `dlopen`, or `weasy_start.open_library` where
its declarations are precompiled), and falls back to fontTools when it is not found. Hiding it here, rather
than uninstalling a system package, lets the bench time both machines side by side on one; on a machine that
lacks the library it changes nothing.
"""

from __future__ import annotations

import runpy
import sys
from typing import Any

import cffi.api

from timeline.render import weasy_start


def _without_subsetter(dlopen: Any) -> Any:
    """`dlopen` (cffi's, or `weasy_start.open_library`), told that HarfBuzz's subsetter is missing."""

    def hidden(ffi: Any, name: Any, *args: Any, **kwargs: Any) -> Any:
        if "harfbuzz-subset" in str(name):
            raise OSError(f"{name}: hidden (bench/without_harfbuzz_subset.py)")
        return dlopen(ffi, name, *args, **kwargs)

    return hidden


def main() -> None:
    cffi.api.FFI.dlopen = _without_subsetter(cffi.api.FFI.dlopen)  # type: ignore[method-assign]
    # the same search, for the precompiled declarations
    weasy_start.open_library = _without_subsetter(weasy_start.open_library)
    if sys.argv[1:2] == ["--probe"]:  # run a line of Python instead (the bench checks the library is hidden)
        exec(sys.argv[2], {})
        return
    sys.argv = ["timeline", *sys.argv[1:]]
    runpy.run_module("timeline", run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
