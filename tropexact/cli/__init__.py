"""The ``tropexact`` command line: a thin layer over the library (the top layer).

:mod:`~tropexact.cli.parser`       the grammar (argparse), apart from the commands
:mod:`~tropexact.cli.options`      parsers of option values (``--domain``, ``--slice``, ...)
:mod:`~tropexact.cli.commands`     tropicalize, regions, verify, check, convert, plot
:mod:`~tropexact.cli.experiments`  bounds, search, verify --random
:mod:`~tropexact.cli.synthesize`   synthesize (maps → networks), the map reading of verify --map
:mod:`~tropexact.cli.render`       JSON and tables
:mod:`~tropexact.cli.progress`     progress bars on stderr (tqdm)
:mod:`~tropexact.cli.main`         dispatch and exit statuses

Each subcommand parses its options, calls the library, and formats the answer
(docs/design.md §6: one JSON object with ``--json``; exit 0, 1 on a failed
check, 2 on bad input).
"""

from .main import main
from .parser import PLOT_WHATS, build_parser

__all__ = ["main", "build_parser", "PLOT_WHATS"]
