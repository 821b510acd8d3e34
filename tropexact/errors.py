"""The exception hierarchy of tropexact: one root, three kinds.

Everything tropexact raises on purpose derives from :class:`TropexactError`:

* :class:`InputError` — bad user input (malformed file, wrong shape, NaN, a
  parameter out of range); the command line exits with status 2.
  :class:`OutputExists` is the input error of an output file that is already
  there and was not to be replaced; :class:`RunExists` that of an output
  directory holding an earlier run that was not to be continued.
* :class:`BudgetExceeded` — a computation would pass a limit the caller set
  (terms, regions); status 2 as well.
* :class:`VerificationError` — an exact check failed: a claimed identity does
  not hold, or an internal consistency check caught a bug; status 1.

Messages name the culprit: the place inside a file (``where``, e.g.
``net.json: layers[1].weight[0][2]``) and, for a parameter of a library call,
its name (``param``, e.g. ``max_regions``).  Library messages never name
command-line flags; the command line renders ``param`` as its own option
(``--max-regions``).
"""

from __future__ import annotations

__all__ = ["TropexactError", "InputError", "OutputExists", "RunExists", "BudgetExceeded",
           "VerificationError"]


class TropexactError(Exception):
    """Base class of every error raised on purpose by tropexact.

    Parameters
    ----------
    message : str
        What is wrong.
    where : str, optional
        The place, e.g. ``"net.json: layers[1].weight[0][2]"``; prefixed to the message.
    param : str, optional
        The library parameter at fault (e.g. ``"max_regions"``), prefixed after *where*.

    Examples
    --------
    >>> str(InputError("expected a number, got 'abc'", where="layers[1].weight[0][2]"))
    "layers[1].weight[0][2]: expected a number, got 'abc'"
    >>> str(InputError("must be >= 1, got 0", param="budget"))
    'budget: must be >= 1, got 0'
    """

    def __init__(self, message: str, where: str | None = None, *, param: str | None = None) -> None:
        self.message = message
        self.where = where
        self.param = param
        super().__init__(self.render())

    def render(self, param_name: str | None = None) -> str:
        """The message with its place, the parameter shown as *param_name* if given."""
        parts = [p for p in (self.where, param_name or self.param) if p]
        return ": ".join(parts + [self.message])

    def at(self, prefix: str) -> "TropexactError":
        """The same error located inside *prefix* (e.g. a file name)."""
        where = f"{prefix}: {self.where}" if self.where else prefix
        return type(self)(self.message, where=where, param=self.param)


class InputError(TropexactError, ValueError):
    """Bad user input: malformed file, wrong shape, non-number, NaN/inf, out-of-range parameter."""


class OutputExists(InputError):
    """An output file exists and the caller did not ask to replace it (nothing was written)."""


class RunExists(InputError):
    """An output directory holds an earlier run and the caller did not ask to continue it."""


class BudgetExceeded(TropexactError):
    """A computation would exceed a budget the caller set (terms, regions, time)."""


class VerificationError(TropexactError):
    """An exact check failed: a claimed identity or certificate does not hold, or an
    internal consistency check caught a bug (never a property of valid input)."""
