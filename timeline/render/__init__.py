"""Render stage: writers that turn a Scene (or the report built around it) into bytes of one format.

Each module exposes `render(case, *, options) -> bytes`; `timeline.pipeline.render_case` imports the one a
format needs, so heavy dependencies (WeasyPrint) load only for PDF and PNG.
"""
