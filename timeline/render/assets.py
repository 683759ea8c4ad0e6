"""Render stage (page assets): the bundled fonts, the stylesheets and the templates the HTML writers use.

A target decides how a page refers to them: HTML inlines the fonts as data: URIs (one self-contained
file); the PDF refers to the package's font files, which the PDF renderer's allow-list fetcher serves
(`allowed_assets`: nothing else may be read).
"""

from __future__ import annotations

import base64
import hashlib
from functools import cache
from pathlib import Path
from string import Template
from typing import Any, Literal

from ..chart.metrics import font_bytes, font_path
from ..report.content import templates_dir
from ..report.pages import css_lengths

Target = Literal["html", "pdf"]
FONT_MIME = "font/ttf"
STYLESHEET = "report.css"


def stylesheet_path(name: str = STYLESHEET) -> Path:
    """One of the package's stylesheets (the report's by default)."""
    return templates_dir() / name


def font_file(bold: bool) -> Path:
    """The bundled font file the report declares (the one the chart was measured with)."""
    return Path(font_path(bold)).resolve()


def allowed_assets() -> dict[str, Path]:
    """file: URL -> path of every file the PDF renderer may read: the bundled fonts and the stylesheet."""
    files = (font_file(False), font_file(True), stylesheet_path().resolve())
    return {path.as_uri(): path for path in files}


@cache
def css_text(name: str = STYLESHEET) -> str:
    """A stylesheet's text as the page holds it: its page lengths (`$page_margin`, ...) written from the
    constants they must equal (`report.pages.css_lengths`), so the CSS repeats none of them."""
    return Template(stylesheet_path(name).read_text(encoding="utf-8")).substitute(css_lengths())


def font_data_uri(bold: bool) -> str:
    """The bundled font as a data: URI, so a saved HTML file needs nothing beside it."""
    return f"data:{FONT_MIME};base64," + base64.b64encode(font_bytes(bold)).decode("ascii")


def font_uris(target: Target | str) -> tuple[str, str]:
    """(regular, bold): data: URIs for HTML, the package's font files for the PDF renderer's fetcher."""
    if target == "html":
        return font_data_uri(False), font_data_uri(True)
    return font_file(False).as_uri(), font_file(True).as_uri()


# Templates compiled ahead (`write_compiled_template`): Jinja2 lexes, parses and generates Python for a
# template on its first use in a process (about 0.04 s for the report's, on every cold render). The Python it
# generates for these templates is kept beside them (`<name>.py`, whose first line says what it was made
# from), so a render only compiles that (5 ms).
COMPILED_TEMPLATES = ("report.html.j2",)
COMPILED_SUFFIX = ".py"


def compiled_header(source: str, jinja2_version: str) -> str:
    """The first line of a compiled template: the Jinja2 that made it and the template text's sha256."""
    digest = hashlib.sha256(source.encode("utf-8")).hexdigest()
    return f"# Compiled from the template by Jinja2 {jinja2_version} (sha256 {digest}); do not edit.\n"


def _compiled_loader(jinja2: Any) -> Any:
    """A FileSystemLoader over `templates_dir()` that gives a template of `COMPILED_TEMPLATES` from its
    compiled code when that was made from the template's current text by this Jinja2; else it compiles the
    template as Jinja2 always does."""

    class CompiledLoader(jinja2.FileSystemLoader):  # type: ignore[misc, name-defined]
        def load(self, environment: Any, name: str, globals: Any = None) -> Any:
            if name in COMPILED_TEMPLATES:
                source = (templates_dir() / name).read_text(encoding="utf-8")
                compiled = templates_dir() / (name + COMPILED_SUFFIX)
                text = compiled.read_text(encoding="utf-8") if compiled.is_file() else ""
                if text.startswith(compiled_header(source, jinja2.__version__)):
                    code = compile(text, str(compiled), "exec")
                    return environment.template_class.from_code(environment, code, globals)
            return super().load(environment, name, globals)

    return CompiledLoader(str(templates_dir()))


@cache
def environment() -> Any:
    """The templates' Jinja2 environment: autoescaped, strict about missing names; the report's template
    compiled ahead where the compiled code is current (`COMPILED_TEMPLATES`)."""
    import jinja2

    return jinja2.Environment(
        loader=_compiled_loader(jinja2),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


def write_compiled_template(name: str, path: Path) -> None:
    """Write the compiled code of template `name` (a maintainer's command: a render never writes it)."""
    import jinja2

    source = (templates_dir() / name).read_text(encoding="utf-8")
    code = environment().compile(source, name, None, raw=True)
    path.write_text(compiled_header(source, jinja2.__version__) + code + "\n", encoding="utf-8")


if __name__ == "__main__":  # python -m timeline.render.assets: rewrite the compiled templates
    for template in COMPILED_TEMPLATES:
        write_compiled_template(template, templates_dir() / (template + COMPILED_SUFFIX))
