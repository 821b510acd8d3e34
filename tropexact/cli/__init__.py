"""The ``tropexact`` command line: a thin layer over the library (the top layer).

Each subcommand parses its options, calls the library, and formats the answer
(``docs/design.md`` §6: one JSON object with ``--json``; exit 0, 1 on a failed
check, 2 on bad input).
"""

from .main import PLOT_WHATS, build_parser, main

__all__ = ["main", "build_parser", "PLOT_WHATS"]
