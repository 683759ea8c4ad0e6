"""child-timeline: a looked-after child's journey drawn against the child's age.

The public Python API is the command line's pipeline, stage by stage (names load lazily, so importing
`timeline` costs nothing and PDF support loads only when a PDF is asked for):

    from timeline import load_case, compute_facts, RenderOptions, render_case
    loaded = load_case("samples/adoption.yaml")          # io + model: raises CaseError with located problems
    facts = compute_facts(loaded.case)                   # facts: looked-after time, moves, PACE measures
    pdf = render_case(loaded.case, RenderOptions(format="pdf"))   # layout + render: bytes
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_NAMES: dict[str, str] = {
    "Case": "timeline.model.case",
    "CaseError": "timeline.problems",
    "Problem": "timeline.problems",
    "load_case": "timeline.io.read",
    "load_text": "timeline.io.read",
    "load_any": "timeline.io.read",
    "compute_facts": "timeline.facts.compute",
    "summary_dict": "timeline.facts.compute",
    "RenderOptions": "timeline.pipeline",
    "render_case": "timeline.pipeline",
    "scene_for": "timeline.pipeline",
    "anonymise": "timeline.model.anonymise",
    "dump_case": "timeline.io.casefile",
    "write_atomic": "timeline.io.output",
}

__all__ = [
    "Case",
    "CaseError",
    "Problem",
    "RenderOptions",
    "anonymise",
    "compute_facts",
    "dump_case",
    "load_any",
    "load_case",
    "load_text",
    "render_case",
    "scene_for",
    "summary_dict",
    "write_atomic",
]

if TYPE_CHECKING:  # pragma: no cover
    from .facts.compute import compute_facts, summary_dict
    from .io.casefile import dump_case
    from .io.output import write_atomic
    from .io.read import load_any, load_case, load_text
    from .model.anonymise import anonymise
    from .model.case import Case
    from .pipeline import RenderOptions, render_case, scene_for
    from .problems import CaseError, Problem


def __getattr__(name: str) -> Any:
    """Load a public name from its stage module on first use."""
    module = _NAMES.get(name)
    if module is None:
        raise AttributeError(f"module 'timeline' has no attribute {name!r}")
    return getattr(import_module(module), name)
