"""Render stage (PDF): every private WeasyPrint name the PDF renderer uses, in one place, beside the one
version range they were written against.

`render/pdf.py` and `render/pdfdraw.py` reach into WeasyPrint below its public API (`HTML`, `CSS`,
`Document.write_pdf`, `URLFetcher`) for speed and for reproducible fonts: they extend its SVG image class,
skip subsetting for the bundled fonts, keep a rewritten font's date, and paint scenes with its text drawing. Such names
change without notice between majors, so they are all imported here (`private`), and the hooks are installed
only when the running WeasyPrint is the tested major (`weasyprint_tested`); `pyproject.toml` allows exactly
`WEASYPRINT_REQUIREMENT` (a test checks), so a fresh install gets a version this code was written for.

Used through `private()`:
- `weasyprint.images.SVGImage`: extended to paint registered scenes (`pdf._install_scene_images`);
- `weasyprint.pdf.fonts.Font.subset` and `Font.file_content`: the bundled fonts kept whole
  (`pdf._install_whole_bundled_fonts`);
- `weasyprint.pdf.fonts.TTFont` (fontTools' class, by the name that module opens fonts with): opened so that
  a rewritten font keeps its own date (`pdf._install_font_dates_kept`);
- `weasyprint.text.line_break.Layout`, `weasyprint.svg.text.Style` and `TextBox`,
  `weasyprint.draw.text.draw_first_line` and `draw_emojis`, `weasyprint.matrix.Matrix`,
  `weasyprint.css.properties.INITIAL_VALUES`, `weasyprint.text.ffi.pango` and `FROM_UNITS`:
  shaping and drawing a scene's text as WeasyPrint's own SVG text code does (`pdfdraw`);
- `weasyprint.formatting_structure.boxes.MarginBox` and `Page._page_box` (`page_box`): the laid-out page
  the hearing view measures its room on.

Used while WeasyPrint is imported, by the start-up hooks of `render/weasy_start.py` (module names, not
imported here: the hooks must be in place before these modules run):
- `weasyprint.text.ffi`: the module-level `cffi.FFI()` it builds and `cdef`s, and its `ffi` name, which then
  holds the precompiled FFI (`weasy_cffi70`);
- `weasyprint.html`: the package-level `weasyprint.CSS` it calls for its three UA sheets (`UA_STYLESHEET`,
  `UA_FORM_STYLESHEET`, `PH_STYLESHEET`), and the texts of `css/html5_ua.css`, `html5_ua_form.css` and
  `html5_ph.css` (by sha256).

Used as attributes of objects WeasyPrint hands over (not importable names, listed so they are checked on
an upgrade too): the layout context's `font_config`; the SVG renderer's `length`, `set_graphical_state`,
`fill_stroke`, `stream`, `cursor_position`, `cursor_d_position`, `inner_width`, `inner_height`, `context`,
`font_config`; the image's `_context`; the PDF stream's `add_group`, `add_pattern`, `set_alpha`,
`set_color_special`, `draw_x_object`, `ctm`, `push_state`/`pop_state`, `begin_text`/`end_text`,
`set_text_rendering`, `transform` and pydyf's path and colour operators; the text layout's `reactivate`,
`set_text`, `layout`, `style`; the font's `file_content`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

# The WeasyPrint versions this code was tested with, named once: pyproject.toml allows exactly
# `WEASYPRINT_REQUIREMENT` (a test checks), and every hook into WeasyPrint's private code is installed only
# on this major (`weasyprint_tested`). Another major still renders, with WeasyPrint's own slower code.
WEASYPRINT_MAJOR = 70
WEASYPRINT_REQUIREMENT = f"weasyprint>={WEASYPRINT_MAJOR},<{WEASYPRINT_MAJOR + 1}"


def weasyprint_tested(weasyprint: Any) -> bool:
    """True when this WeasyPrint is the major (`WEASYPRINT_MAJOR`) whose private code the hooks mirror."""
    return str(weasyprint.__version__).split(".")[0] == str(WEASYPRINT_MAJOR)


@dataclass(frozen=True)
class WeasyPrivate:
    """WeasyPrint's private modules and names, imported together (see the module docstring for each use)."""

    images: Any  # module weasyprint.images (its `SVGImage` is replaced)
    fonts: Any  # module weasyprint.pdf.fonts (its `Font.subset` and `TTFont` are replaced)
    layout: Any  # weasyprint.text.line_break.Layout
    initial_values: Any  # weasyprint.css.properties.INITIAL_VALUES
    draw_first_line: Any  # weasyprint.draw.text.draw_first_line
    draw_emojis: Any  # weasyprint.draw.text.draw_emojis
    matrix: Any  # weasyprint.matrix.Matrix
    style: Any  # weasyprint.svg.text.Style
    text_box: Any  # weasyprint.svg.text.TextBox
    margin_box: Any  # weasyprint.formatting_structure.boxes.MarginBox
    pango: Any  # weasyprint.text.ffi.pango
    from_units: float  # weasyprint.text.ffi.FROM_UNITS


@cache
def private() -> WeasyPrivate:
    """The private names, imported on first use; call it only once WeasyPrint is imported
    (`pdf.import_weasyprint`), which loads every module named here already."""
    import weasyprint.images as images
    import weasyprint.pdf.fonts as fonts
    from weasyprint.css.properties import INITIAL_VALUES
    from weasyprint.draw.text import draw_emojis, draw_first_line
    from weasyprint.formatting_structure.boxes import MarginBox
    from weasyprint.matrix import Matrix
    from weasyprint.svg.text import Style, TextBox
    from weasyprint.text.ffi import FROM_UNITS, pango
    from weasyprint.text.line_break import Layout

    return WeasyPrivate(
        images=images, fonts=fonts, layout=Layout, initial_values=INITIAL_VALUES, draw_first_line=draw_first_line,
        draw_emojis=draw_emojis, matrix=Matrix, style=Style, text_box=TextBox, margin_box=MarginBox, pango=pango,
        from_units=FROM_UNITS,
    )


def page_box(page: Any) -> Any:
    """The laid-out box tree of a `Document` page (WeasyPrint has no public API for box geometry)."""
    return page._page_box


__all__ = ["WEASYPRINT_MAJOR", "WEASYPRINT_REQUIREMENT", "WeasyPrivate", "page_box", "private", "weasyprint_tested"]
