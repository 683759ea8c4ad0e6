"""Docs helper (after the render stage): draw samples/adoption.yaml to docs/timeline.png for the README.

Run from the repository root: `python docs/make_screenshot.py [CASE] [OUT.png]`. The chart is laid out at
the default width, wrapped in a page with the bundled font, printed to PDF by WeasyPrint and rasterised by
pypdfium2, so the picture shows exactly what the PDF path draws. Look at the PNG before committing it.
"""

from __future__ import annotations

import base64
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCALE = 1.5  # raster scale: 144 dpi, sharp on a README without being huge


def main(argv: list[str]) -> int:
    os.environ.setdefault("SOURCE_DATE_EPOCH", "0")
    import pypdfium2
    import weasyprint

    from timeline.io.read import load_case
    from timeline.pipeline import RenderOptions, scene_for
    from timeline.render.svg import scene_to_svg
    from timeline.chart.metrics import font_bytes

    case_path = Path(argv[1]) if len(argv) > 1 else ROOT / "samples" / "adoption.yaml"
    out = Path(argv[2]) if len(argv) > 2 else ROOT / "docs" / "timeline.png"
    scene = scene_for(load_case(case_path).case, RenderOptions())
    fonts = "".join(
        f"@font-face{{font-family:'Atkinson Hyperlegible';font-weight:{weight};"
        f"src:url(data:font/ttf;base64,{base64.b64encode(font_bytes(bold)).decode('ascii')})}}"
        for bold, weight in ((False, "normal"), (True, "bold"))
    )
    html = (f"<!doctype html><html><head><meta charset='utf-8'><style>{fonts}"
            f"@page{{size:{scene.width}px {scene.height}px;margin:0}}body{{margin:0}}</style></head>"
            f"<body>{scene_to_svg(scene, standalone=False)}</body></html>")
    pdf_bytes = weasyprint.HTML(string=html).write_pdf()
    pdf = pypdfium2.PdfDocument(pdf_bytes)
    image = pdf[0].render(scale=SCALE * 96 / 72).to_pil()
    image.save(out, optimize=True)
    print(f"wrote {out} ({image.width}x{image.height}); look at it before committing")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
