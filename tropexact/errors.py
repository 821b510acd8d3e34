"""The small exception hierarchy of tropexact.

Every error a user can cause is an :class:`InputError` whose message names the
culprit (file, layer, row, column); the CLI turns it into exit status 2.
"""

from __future__ import annotations

__all__ = ["TropexactError", "InputError", "BudgetExceeded", "VerificationError"]


class TropexactError(Exception):
    """Base class of every error raised on purpose by tropexact."""


class InputError(TropexactError, ValueError):
    """Bad user input: malformed file, wrong shape, non-number, NaN/inf, ...

    Parameters
    ----------
    message : str
        What is wrong.
    where : str, optional
        The place, e.g. ``"net.json: layers[1].weight[0][2]"``; prefixed to the message.

    Examples
    --------
    >>> str(InputError("expected a number, got 'abc'", where="layers[1].weight[0][2]"))
    "layers[1].weight[0][2]: expected a number, got 'abc'"
    """

    def __init__(self, message: str, where: str | None = None) -> None:
        self.message = message
        self.where = where
        super().__init__(f"{where}: {message}" if where else message)

    def at(self, prefix: str) -> "InputError":
        """Return the same error located inside *prefix* (e.g. a file name)."""
        where = f"{prefix}: {self.where}" if self.where else prefix
        return InputError(self.message, where=where)


class BudgetExceeded(TropexactError):
    """A computation would exceed a budget the caller set (terms, regions, time)."""


class VerificationError(TropexactError):
    """An exact check failed: a claimed identity or certificate does not hold."""
