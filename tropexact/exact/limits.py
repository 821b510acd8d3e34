"""The limits on user input: file size, JSON nesting, digits per number.

Input beyond a limit is refused with one line naming the file and the entry
(exit status 2 on the command line), never a traceback and never a hang.  Each
limit has a documented default and can be raised through an environment
variable, read when the limit is used:

========================  ===============================  ==============
limit                     environment variable             default
========================  ===============================  ==============
bytes of an input file    ``TROPEXACT_MAX_FILE_BYTES``     268435456 (256 MiB)
JSON nesting depth        ``TROPEXACT_MAX_NESTING``        64
digits of one number      ``TROPEXACT_MAX_DIGITS``         100000
========================  ===============================  ==============

Large numbers are exact and supported up to the digit limit: tropexact never
goes through Python's own int/str conversion limit (4,300 digits), it parses and
prints integers with gmpy2.

Examples
--------
>>> limit("digits")
100000
>>> import os; os.environ["TROPEXACT_MAX_DIGITS"] = "50"; limit("digits")
50
>>> del os.environ["TROPEXACT_MAX_DIGITS"]
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from tropexact.errors import InputError

__all__ = ["Limits", "limit", "DEFAULTS", "VARIABLES"]


@dataclass(frozen=True)
class Limits:
    """The three input limits (see the module docstring)."""

    file_bytes: int = 256 * 1024 * 1024
    nesting: int = 64
    digits: int = 100_000


DEFAULTS = Limits()
#: The environment variable that overrides each limit.
VARIABLES = {"file_bytes": "TROPEXACT_MAX_FILE_BYTES", "nesting": "TROPEXACT_MAX_NESTING",
             "digits": "TROPEXACT_MAX_DIGITS"}


def limit(name: str) -> int:
    """The limit *name* in force (``"file_bytes"``, ``"nesting"`` or ``"digits"``): its
    environment variable if set (a positive integer), else the default."""
    variable = VARIABLES[name]
    text = os.environ.get(variable)
    if text is None:
        return getattr(DEFAULTS, name)
    digits = text.strip()  # ASCII digits: int() takes '١' and isdigit() takes '²', which int() refuses
    if not (digits.isascii() and digits.isdigit() and len(digits) <= 30) or int(digits) < 1:
        shown = repr(text) if len(text) <= 40 else f"{text[:20]!r}...({len(text)} characters)"
        raise InputError(f"must be a positive integer, got {shown}", where=variable)
    return int(digits)
