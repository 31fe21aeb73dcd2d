"""How the command-line tools speak: one line per error or warning, prefixed with the tool's name."""
from __future__ import annotations

import sys
import warnings


def one_line_warnings(prog: str) -> None:
    """Print every Python warning (a scenario's implausible value) as ``prog: warning: message``."""
    def show(message, category, filename, lineno, file=None, line=None):
        print(f"{prog}: warning: {message}", file=file or sys.stderr)
    warnings.showwarning = show
