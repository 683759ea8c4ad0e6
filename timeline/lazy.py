"""Deferred imports (start-up speed, any stage): modules a dependency imports at start-up but uses only on
some paths, registered so that their code runs on first use instead.

WeasyPrint imports fontTools' subsetter and variable-font instancer; the bundled static font subset by
HarfBuzz needs neither, and they were a large part of every cold start.
"""

from __future__ import annotations

from typing import Any


def defer_import(name: str) -> None:
    """Register `name` as a lazily executed module (importlib.util.LazyLoader): importing it costs nothing,
    its code runs on first attribute access.

    WeasyPrint imports fontTools' subsetter at start-up (a twentieth of a second) but only uses it when
    HarfBuzz's subsetter is missing; deferred, the import is paid only on that fallback path.
    """
    import importlib.util
    import sys

    if name in sys.modules:
        return
    try:
        spec = importlib.util.find_spec(name)
    except ImportError:
        return
    if spec is None or spec.loader is None:
        return
    spec.loader = importlib.util.LazyLoader(spec.loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    parent, _, child = name.rpartition(".")
    if parent in sys.modules:
        setattr(sys.modules[parent], child, module)


def defer_functions(name: str, functions: tuple[str, ...]) -> None:
    """Put a stand-in for module `name` in sys.modules: its `functions`, and any other attribute, import
    the real module when first used (the stand-in then leaves sys.modules).

    `from fontTools.varLib.instancer import instantiateVariableFont` in WeasyPrint reads the name at import
    time, which a LazyLoader module would answer by running the module (a twentieth of a second, for fonts
    this report never uses); a stand-in function defers that to its first call.
    """
    import importlib
    import sys
    import types

    if name in sys.modules:
        return
    stand_in = types.ModuleType(name, f"Stand-in for {name}, imported on first use (timeline.lazy).")

    def real() -> Any:
        if sys.modules.get(name) is stand_in:
            del sys.modules[name]
        return importlib.import_module(name)

    def forward(function: str) -> Any:
        def call(*args: Any, **kwargs: Any) -> Any:
            return getattr(real(), function)(*args, **kwargs)

        call.__name__ = function
        return call

    def other(attribute: str) -> Any:
        if attribute.startswith("__"):  # the import system probing (e.g. __path__): not a use
            raise AttributeError(attribute)
        return getattr(real(), attribute)

    for function in functions:
        setattr(stand_in, function, forward(function))
    stand_in.__getattr__ = other  # type: ignore[method-assign]
    sys.modules[name] = stand_in


__all__ = ["defer_functions", "defer_import"]
