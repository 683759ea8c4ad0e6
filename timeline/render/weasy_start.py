"""Render stage (PDF start-up): WeasyPrint imported without the start-up work this report never uses, on the
tested major only (`weasy_private.WEASYPRINT_MAJOR`).

A cold PDF render spends a third of a second importing WeasyPrint 70, and two parts of that do work the
report either never uses or need not redo on every start:

- `weasyprint.text.ffi` declares Pango's, HarfBuzz's and Fontconfig's C functions with `cffi.FFI.cdef`,
  which imports pycparser and parses about 460 lines of C on every start (a tenth of a second). The same
  declarations, parsed once by cffi's own generator (out-of-line ABI mode, `ffi.emit_python_code`), are the
  module `weasy_cffi70` in this package (`python -m timeline.render.weasy_start` rewrites it). It is used
  only when the declarations WeasyPrint passes are, byte for byte, those it was made from
  (`weasy_cffi70.DECLARATIONS_SHA256`) and the installed cffi accepts it; else cffi parses them as before.
  Libraries are then opened as cffi's own `dlopen` opens them (`open_library`).
- `weasyprint.html` parses three user-agent stylesheets at import: HTML's (every render), forms'
  (only with `forms=True`) and presentational hints' (only with `presentational_hints=True`). The report
  passes neither option, so those two are parsed on first use instead (`OnDemand`). HTML's own is parsed
  without the rules for elements and attributes the report never writes (form fields, `dir`, a table's
  `rules`) and the counter styles of numbering systems it never uses (`report_ua_css`), when it is the
  text those cuts were written for (`UA_SHA256`); otherwise whole.

Both are import hooks (`weasyprint_import_hooks`) that `pdf.import_weasyprint` puts in place only while it
imports WeasyPrint under its lock, and removes after: nothing else in the process changes, and when
WeasyPrint was imported before (by a program of its own), it is used as it is. The PDF's bytes are the same
either way (a test renders both).
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.abc
import importlib.machinery
import os
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

from .weasy_private import weasyprint_tested

FFI_MODULE = "weasyprint.text.ffi"
HTML_MODULE = "weasyprint.html"
COMPILED_DECLARATIONS = f"{__package__}.weasy_cffi70"
# sha256 of WeasyPrint 70's `css/html5_ua.css`, the text `report_ua_css` cuts (another text is used whole).
UA_SHA256 = "04dd53f16888e5325d8bb8feb02462d99d03c8329da713b167b333a2ea4b91bc"
# sha256 of WeasyPrint 70's `html5_ua_form.css` and `html5_ph.css`: parsed on first use only.
ON_DEMAND_SHA256 = frozenset({
    "3b42fbf2840df19b9071795f7bb5d54f2e643379d517afab7cedf100b6d84f2f",
    "2ac45b6c1b6b994b4672d15bf0977afe47bf34be65059f8e497eab32ce874aa8",
})
# The counter styles the report numbers with: page numbers and lists (decimal), bullets, and the markers
# of <details>. Any other `@counter-style` of the UA sheet (Armenian, Japanese ...) is left out.
KEPT_COUNTER_STYLES = frozenset({"disc", "circle", "square", "decimal", "disclosure-open", "disclosure-closed"})
# The UA sheet's section the report never needs: rules for <input>, <button>, <select>, <textarea> and
# <fieldset>, which the report never writes (a test checks its HTML).
FORM_SECTION = ("/* Form fields */", "/* Pages */")
FORM_ELEMENTS = ("input", "button", "select", "textarea", "fieldset", "option", "keygen")
# Rules (one line each in the UA sheet) that select by attributes the report never writes: `dir` (its text
# direction is the document's), and a table's `rules` and `frame` (its tables are drawn by report.css).
UNUSED_ATTRIBUTES = ("dir", "rules")


def digest(text: str) -> str:
    """sha256 of a text, as the constants above are written."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def report_ua_css(ua: str) -> str:
    """WeasyPrint's HTML user-agent sheet less its form-field section, the rules selecting by attributes the
    report never writes and the counter styles it never uses; the rest, line for line as it was (so every
    rule that can apply to the report still does)."""
    lines = ua.split("\n")
    start, end = lines.index(FORM_SECTION[0]), lines.index(FORM_SECTION[1])
    kept = lines[:start] + lines[end:]
    unused = tuple(f"[{name}" for name in UNUSED_ATTRIBUTES)
    return "\n".join(line for line in kept
                     if not any(attribute in line for attribute in unused)
                     and (not line.startswith("@counter-style ") or line.split()[1] in KEPT_COUNTER_STYLES))


# ---- the C declarations, parsed once (weasy_cffi70) ----


def open_library(ffi: Any, name: str, flags: int) -> Any:
    """Open a shared library for a precompiled `ffi` by the same search as cffi's own `FFI.dlopen`
    (`cffi.api._load_backend_lib`): a name that looks like a file name is tried as it is, then
    `ctypes.util.find_library`'s answer; so the same library is found either way."""
    first_error: OSError | None = None
    if "." in name or "/" in name or os.sep in name:
        try:
            return ffi.dlopen(name, flags)
        except OSError as error:
            first_error = error
    import ctypes.util

    path = ctypes.util.find_library(name)
    if path is None:
        raise OSError(f"ctypes.util.find_library() did not find a library called {name!r}"
                      + (f" ({first_error})" if first_error else ""))
    return ffi.dlopen(path, flags)


def compiled_declarations(sources: Sequence[str]) -> Any | None:
    """The precompiled FFI for exactly these `cdef` sources, or None (other declarations, or a cffi that
    does not accept the module)."""
    if len(sources) != 1:
        return None
    try:
        module = importlib.import_module(COMPILED_DECLARATIONS)
        if digest(sources[0]) != module.DECLARATIONS_SHA256:
            return None
        return module.ffi
    except Exception:  # any failure (an older cffi, a damaged file): cffi parses them as before
        return None


class DeclaredFFI:
    """Stands in for `cffi.FFI()` while `weasyprint.text.ffi` runs: records its `cdef` sources, then, on
    first use, becomes the precompiled FFI when they are the known ones, else a real `cffi.FFI` given them
    (`target`). Once the module has run, the hook puts the target itself in the module's place."""

    def __init__(self, real: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        self._real, self._args, self._kwargs = real, args, kwargs
        self._sources: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = []
        self._target: Any = None
        self.precompiled = False

    def cdef(self, csource: str, *args: Any, **kwargs: Any) -> None:
        if self._target is not None:
            self.target().cdef(csource, *args, **kwargs)
            return
        self._sources.append((csource, args, kwargs))

    def target(self) -> Any:
        """The FFI this stands for (decided on first use)."""
        if self._target is None:
            plain = not self._args and not self._kwargs and all(not a and not k for _, a, k in self._sources)
            compiled = compiled_declarations([s for s, _, _ in self._sources]) if plain else None
            if compiled is not None:
                self._target, self.precompiled = compiled, True
            else:
                self._target = self._real(*self._args, **self._kwargs)
                for source, args, kwargs in self._sources:
                    self._target.cdef(source, *args, **kwargs)
        return self._target

    def dlopen(self, name: Any, flags: int = 0) -> Any:
        target = self.target()
        if self.precompiled and isinstance(name, str):
            return open_library(target, name, flags)
        return target.dlopen(name, flags)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.target(), name)


@contextmanager
def _declarations_precompiled(module: ModuleType) -> Iterator[None]:
    """While `weasyprint.text.ffi` runs, `cffi.FFI()` gives a `DeclaredFFI`; after, the module holds its
    target (so WeasyPrint's many `ffi.new`, `ffi.string` calls go straight to it)."""
    import cffi  # type: ignore[import-untyped]

    real = cffi.FFI
    cffi.FFI = lambda *args, **kwargs: DeclaredFFI(real, *args, **kwargs)  # type: ignore[misc]
    try:
        yield
    finally:
        cffi.FFI = real  # type: ignore[misc]
    declared = vars(module).get("ffi")
    if isinstance(declared, DeclaredFFI):
        setattr(module, "ffi", declared.target())  # noqa: B010


# ---- the user-agent stylesheets ----


_ON_DEMAND_LOCK = threading.Lock()


def _on_demand_class(css: type[Any]) -> type[Any]:
    """WeasyPrint's CSS class, parsed on first use of any attribute."""

    class OnDemand(css):  # type: ignore[misc, valid-type]
        """A WeasyPrint stylesheet whose text is parsed only when a render first uses it."""

        def __init__(self, **kwargs: Any) -> None:
            self.__dict__["_on_demand"] = kwargs

        def __getattr__(self, name: str) -> Any:
            if name.startswith("__"):
                raise AttributeError(name)
            with _ON_DEMAND_LOCK:
                kwargs = self.__dict__.pop("_on_demand", None)
                if kwargs is not None:
                    css.__init__(self, **kwargs)
            if name in self.__dict__:
                return self.__dict__[name]
            raise AttributeError(name)

    return OnDemand


def stylesheet_factory(css: type[Any]) -> Callable[..., Any]:
    """What `weasyprint.html` calls for `CSS(...)` while it runs: the known UA sheets cut or on demand,
    anything else WeasyPrint's own `CSS`."""
    on_demand = _on_demand_class(css)

    def make(*args: Any, **kwargs: Any) -> Any:
        text = kwargs.get("string")
        if args or not isinstance(text, str) or set(kwargs) - {"string", "counter_style"}:
            return css(*args, **kwargs)
        known = digest(text)
        if known == UA_SHA256:
            return css(**{**kwargs, "string": report_ua_css(text)})
        if known in ON_DEMAND_SHA256:
            return on_demand(**kwargs)
        return css(**kwargs)

    return make


@contextmanager
def _ua_stylesheets_cut(module: ModuleType) -> Iterator[None]:
    """While `weasyprint.html` runs, the package's `CSS` is `stylesheet_factory`'s; after, both are
    WeasyPrint's own again."""
    package: Any = sys.modules["weasyprint"]
    real = package.CSS
    package.CSS = stylesheet_factory(real)
    try:
        yield
    finally:
        package.CSS = real
        if vars(module).get("CSS") is not real:
            setattr(module, "CSS", real)  # noqa: B010


# ---- the import hooks ----

_AROUND: dict[str, Callable[[ModuleType], Any]] = {
    FFI_MODULE: _declarations_precompiled,
    HTML_MODULE: _ua_stylesheets_cut,
}


class _HookedLoader(importlib.abc.Loader):
    """A module's own loader, run inside its hook."""

    def __init__(self, loader: Any, around: Callable[[ModuleType], Any]) -> None:
        self._loader, self._around = loader, around

    def create_module(self, spec: Any) -> ModuleType | None:
        created: ModuleType | None = self._loader.create_module(spec)
        return created

    def exec_module(self, module: ModuleType) -> None:
        with self._around(module):
            self._loader.exec_module(module)

    def __getattr__(self, name: str) -> Any:  # get_source, get_filename ... as the module's own loader
        return getattr(self._loader, name)


class _Finder(importlib.abc.MetaPathFinder):
    """Finds the two hooked WeasyPrint modules as usual, then wraps their loader; nothing else."""

    def find_spec(self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None) -> Any:
        around = _AROUND.get(fullname)
        package = sys.modules.get("weasyprint")
        if around is None or package is None or not weasyprint_tested(package):
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is not None and spec.loader is not None:
            spec.loader = _HookedLoader(spec.loader, around)
        return spec


@contextmanager
def weasyprint_import_hooks() -> Iterator[None]:
    """The hooks in place for the `import weasyprint` inside (call it with the import lock held)."""
    finder = _Finder()
    sys.meta_path.insert(0, finder)
    try:
        yield
    finally:
        sys.meta_path.remove(finder)


# ---- rewriting weasy_cffi70 (a maintainer's command, never run by a render) ----


def weasyprint_declarations() -> str:
    """The C declarations the installed WeasyPrint gives `cffi.FFI.cdef` (read by running its module in a
    fresh interpreter with `cdef` recording)."""
    import subprocess

    code = ("import cffi, sys\nseen = []\ncffi.FFI.cdef = lambda self, source, *a, **k: seen.append(source)\n"
            "cffi.FFI.dlopen = lambda self, *a, **k: None\n"
            "try:\n    import weasyprint.text.ffi\nexcept Exception:\n    pass\n"
            "sys.stdout.write(seen[0])\n")
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout


HEADER = '''"""Render stage (PDF start-up): WeasyPrint 70's C declarations (weasyprint/text/ffi.py), parsed once by
cffi's generator in out-of-line ABI mode, so a render need not import pycparser and parse them on every start.

Generated by `python -m timeline.render.weasy_start`; do not edit. Used by `weasy_start` only when the
declarations WeasyPrint passes have this `DECLARATIONS_SHA256`.
"""
# ruff: noqa
# mypy: ignore-errors
# fmt: off
'''


def write_compiled_declarations(path: Path) -> None:
    """Rewrite the precompiled declarations module from the installed WeasyPrint's."""
    import tempfile

    import cffi  # type: ignore[import-untyped]

    source = weasyprint_declarations()
    builder = cffi.FFI()
    builder.cdef(source)
    builder.set_source(COMPILED_DECLARATIONS.rpartition(".")[2], None)
    with tempfile.TemporaryDirectory() as folder:
        generated = Path(folder) / "generated.py"
        builder.emit_python_code(str(generated))
        body = generated.read_text(encoding="utf-8").removeprefix("# auto-generated file\n")
    path.write_text(HEADER + body + f'\nDECLARATIONS_SHA256 = "{digest(source)}"\n', encoding="utf-8")


__all__ = ["DeclaredFFI", "digest", "open_library", "report_ua_css", "stylesheet_factory",
           "weasyprint_import_hooks", "write_compiled_declarations"]

if __name__ == "__main__":
    write_compiled_declarations(Path(__file__).with_name("weasy_cffi70.py"))
