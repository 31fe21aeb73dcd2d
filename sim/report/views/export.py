"""Static images of figures (PNG, SVG, PDF) through kaleido and the system's Chromium.

Kaleido renders with a headless Chromium. We point it at Debian's ``chromium``
(``apt-get install chromium``; ``make browser`` does it) or at ``BROWSER_PATH``,
and never let it fetch a browser, MathJax or plotly.js: the page it renders loads
plotly.js from the installed plotly package, so export works offline.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Sequence

import plotly.graph_objects as go

FORMATS = ("png", "svg", "pdf")
WIDTH = 1400  # px: the width a report is read at
BROWSER_NAMES = ("chromium", "chromium-browser")


class ExportError(RuntimeError):
    """Static export cannot run (no browser, no kaleido) or failed."""


def chromium_path() -> str:
    """``BROWSER_PATH`` if set, else the system's Chromium on ``PATH``; never a downloaded one."""
    explicit = os.environ.get("BROWSER_PATH")
    candidates = [explicit] if explicit else [shutil.which(n) for n in BROWSER_NAMES] + ["/usr/bin/chromium"]
    for path in filter(None, candidates):
        if os.path.isfile(path) and os.access(path, os.X_OK):
            return path
    where = f"BROWSER_PATH={explicit!r} is not an executable" if explicit else "no chromium on PATH"
    raise ExportError(f"static export needs Chromium ({where}): install it with "
                      "'apt-get install chromium' (or 'make browser'), or set BROWSER_PATH")


def static_copy(fig: go.Figure) -> go.Figure:
    """The figure as a still image shows it: without sliders, menus and animation frames.

    A slider's position moves into the title, so the image still says which week it shows.
    """
    still = go.Figure(fig)
    if still.layout.sliders:
        slider = still.layout.sliders[0]
        active = slider.active or 0
        if slider.steps and active < len(slider.steps):
            prefix = slider.currentvalue.prefix if slider.currentvalue and slider.currentvalue.prefix else ""
            still.layout.title.text = f"{still.layout.title.text or ''} — {prefix}{slider.steps[active].label}"
    still.frames = ()
    still.layout.sliders = ()
    still.layout.updatemenus = ()
    return still


def export_figures(figures: Sequence[tuple[str, go.Figure]], out_dir, fmt: str = "png",
                   width: int = WIDTH, scale: float = 1.0) -> list[Path]:
    """Write each ``(name, figure)`` to ``out_dir/NN-name.fmt``; returns the paths in order."""
    if fmt not in FORMATS:
        raise ExportError(f"format: expected one of {', '.join(FORMATS)}, got {fmt!r}")
    browser = chromium_path()
    try:
        import kaleido
        import plotly
    except ImportError as err:
        raise ExportError(f"static export needs kaleido >= 1.0 ({err})") from None
    plotly_js = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = [out_dir / f"{i:02d}-{name}.{fmt}" for i, (name, _) in enumerate(figures, start=1)]
    specs = [dict(fig=static_copy(fig).to_dict(), path=path,
                  opts=dict(format=fmt, width=width, height=int(fig.layout.height or 500), scale=scale))
             for path, (_, fig) in zip(paths, figures)]
    options = dict(path=browser, mathjax=False, plotlyjs=str(plotly_js) if plotly_js.is_file() else None)
    try:
        kaleido.write_fig_from_object_sync(specs, kopts={k: v for k, v in options.items() if v is not None})
    except Exception as err:  # kaleido wraps browser failures in many types; the caller needs one
        raise ExportError(f"static export failed: {type(err).__name__}: {err}") from err
    missing = [p for p in paths if not p.is_file() or p.stat().st_size == 0]
    if missing:
        raise ExportError(f"static export wrote no {', '.join(p.name for p in missing)}")
    return paths
