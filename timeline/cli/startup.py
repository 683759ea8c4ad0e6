"""Command line (start-up): process-wide tuning for one `timeline` run, done once by the command's entry
point (`cli.run`) before any work, and never by a library call.

A command runs one job in a process of its own and exits, so it may set what a library must leave alone
(a program that calls `timeline` from threads keeps its own settings; the library is safe without any of
this, only slower on a cold start):

- the cyclic garbage collector runs less often (`GC_THRESHOLDS`): WeasyPrint builds hundreds of
  thousands of short-lived objects and, at Python's default threshold, the collector ran thousands of times
  over them; reference counting frees almost all of them, and collections still happen. At exit, what is
  still alive is frozen (`gc.freeze`) so that the final collections do not walk every module again;
- modules that dependencies import at start-up but use only on some paths are deferred to their first use
  (`DEFERRED_MODULES`, `DEFERRED_FUNCTIONS`; `timeline.lazy`): fontTools' subsetter (only for a fallback
  font without HarfBuzz's subsetter), and its variable-font instancer; Pillow's image modules and its colour
  management (WeasyPrint imports them for raster images and ICC profiles; the report's images are all
  scenes or SVG, so a PDF render never runs them: 0.04 s of every cold PDF);
- WeasyPrint's search for its system libraries is short-cut (`quick_find_library`): WeasyPrint asks cffi for
  each library under several spellings, and every spelling that is not a file name makes cffi call
  `ctypes.util.find_library`, which on Linux starts ldconfig, gcc and ld (about 50 programs, a quarter of a
  second). For the libraries WeasyPrint loads, the answer is the file name the dynamic loader knows
  (`libpango-1.0.so.0` ...), checked once by loading it; anything else is asked the ordinary way.
"""

from __future__ import annotations

import atexit
import ctypes
import ctypes.util
import gc
import sys
from collections.abc import Callable
from functools import cache

from ..lazy import defer_functions, defer_import

# Generation 0 is collected after this many allocations (Python's default is 700).
GC_THRESHOLDS = (50_000, 20, 20)
# Modules a dependency imports at start-up but needs only on some paths: run on first use.
DEFERRED_MODULES = ("fontTools.subset", "PIL.Image", "PIL.ImageFile", "PIL.ImageOps", "PIL.EpsImagePlugin")
# Modules a dependency imports names from (`from M import f`) but calls only on some paths: stand-ins whose
# functions import the real module on their first call.
DEFERRED_FUNCTIONS: dict[str, tuple[str, ...]] = {
    "fontTools.varLib.instancer": ("instantiateVariableFont",),
    "PIL.ImageCms": ("ImageCmsProfile",),
}
# The system libraries WeasyPrint loads (stem as WeasyPrint spells it, Linux file name); optional ones may
# be missing, and WeasyPrint carries on without them.
LINUX_LIBRARIES: tuple[tuple[str, str, bool], ...] = (  # (stem, file name, optional)
    ("gobject-2.0", "libgobject-2.0.so.0", False),
    ("pangoft2-1.0", "libpangoft2-1.0.so.0", False),
    ("pango-1.0", "libpango-1.0.so.0", False),
    ("harfbuzz-subset", "libharfbuzz-subset.so.0", True),
    ("harfbuzz-vector", "libharfbuzz-vector.so.0", True),
    ("harfbuzz", "libharfbuzz.so.0", False),
    ("fontconfig", "libfontconfig.so.1", False),
)

_tuned = False


def tune() -> None:
    """Tune this process for one command-line run (idempotent); see the module docstring."""
    global _tuned
    if _tuned:
        return
    _tuned = True
    gc.set_threshold(*GC_THRESHOLDS)
    atexit.register(gc.freeze)
    for name in DEFERRED_MODULES:
        defer_import(name)
    for name, functions in DEFERRED_FUNCTIONS.items():
        defer_functions(name, functions)
    if sys.platform.startswith("linux"):
        ctypes.util.find_library = quick_find_library(ctypes.util.find_library)  # type: ignore[assignment]


def quick_find_library(original: Callable[[str], str | None]) -> Callable[[str], str | None]:
    """`ctypes.util.find_library` answering WeasyPrint's libraries by their Linux file name, else `original`.

    A library that loads by its file name is found (its name is returned, and cffi loads it). A missing
    optional one (HarfBuzz's subsetter on a machine without `libharfbuzz-subset0`) is not found, as the
    full search would find it only under another version's name, which WeasyPrint does not expect. A
    missing required one is searched for the ordinary way, so an unusual system still works, only slower.
    """

    @cache
    def loadable(file_name: str) -> bool:
        try:
            ctypes.CDLL(file_name)
        except OSError:
            return False
        return True

    def find_library(name: str) -> str | None:
        stem = name.removeprefix("lib")
        for known, file_name, optional in LINUX_LIBRARIES:
            if stem.startswith(known):
                if loadable(file_name):
                    return file_name
                return None if optional else original(name)
        return original(name)

    find_library.quick = True  # type: ignore[attr-defined]
    return find_library


__all__ = ["DEFERRED_FUNCTIONS", "DEFERRED_MODULES", "GC_THRESHOLDS", "LINUX_LIBRARIES", "quick_find_library",
           "tune"]
