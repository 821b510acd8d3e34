"""Architectures (d, n_1, …, n_L, p) of fully connected networks, validated once.

Bounds, searches, sweeps and batches all take an architecture; this module
alone decides what a valid one is: positive Python integers, an input
dimension, at least one hidden width, and an output width.

Examples
--------
>>> architecture("2,4,4,1").as_tuple(), architecture((1, 3, 1)).widths
((2, 4, 4, 1), (3,))
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Sequence

from tropexact.errors import InputError

__all__ = ["Architecture", "architecture"]


@dataclass(frozen=True)
class Architecture:
    """A fully connected architecture ``(d, n_1, ..., n_L, p)``.

    Parameters
    ----------
    input_dim : int
        The input dimension :math:`d`.
    widths : tuple of int
        The hidden widths :math:`n_1, \\dots, n_L` (:math:`L \\ge 1`), each followed
        by a ReLU.
    output_dim : int
        The width :math:`p` of the linear output layer (it does not count as a hidden
        layer and does not enter any bound).

    Examples
    --------
    >>> a = architecture("2, 4,4 ,1")
    >>> a, a.L, a.as_list()
    (Architecture(input_dim=2, widths=(4, 4), output_dim=1), 2, [2, 4, 4, 1])
    """

    input_dim: int
    widths: tuple[int, ...]
    output_dim: int

    @property
    def L(self) -> int:
        """The number of hidden layers."""
        return len(self.widths)

    def as_list(self) -> list[int]:
        """``[d, n_1, ..., n_L, p]``."""
        return [self.input_dim, *self.widths, self.output_dim]

    def as_tuple(self) -> tuple[int, ...]:
        """``(d, n_1, ..., n_L, p)``."""
        return (self.input_dim, *self.widths, self.output_dim)

    def __str__(self) -> str:
        return ",".join(map(str, self.as_list()))


#: the most digits of a number in an architecture (Python's str() and int() of an int stop
#: at 4,300 digits; an architecture's numbers are printed and parsed in full)
_MAX_DIGITS = 4300


def _arch_error(got: Any, why: str) -> InputError:
    try:
        shown = repr(got)
    except ValueError:  # a sequence holding an int beyond 4,300 digits
        shown = "(a sequence)"
    shown = shown if len(shown) <= 60 else f"{shown[:40]}...({len(shown)} characters)"
    return InputError(f"architecture {shown}: {why}; expected positive integers "
                      "d,n1,...,nL,p (input dimension, at least one hidden width, output "
                      "width), e.g. 2,4,4,1")


def architecture(arch: Architecture | str | Sequence[int], *, param: str | None = None) -> Architecture:
    """Validate and normalise an architecture.

    Parameters
    ----------
    arch : Architecture, str or sequence of int
        ``(d, n_1, ..., n_L, p)`` as a sequence of positive Python integers, or the
        CLI's comma-separated text ``"2,4,4,1"``.

    Returns
    -------
    Architecture

    Raises
    ------
    InputError
        Fewer than three numbers (no hidden layer), a non-integer (floats and booleans
        included), or a number < 1.

    Examples
    --------
    >>> architecture([1, 2, 2, 1]).widths
    (2, 2)
    >>> architecture("2,1")
    Traceback (most recent call last):
    ...
    tropexact.errors.InputError: architecture '2,1': needs at least 3 numbers, got 2; expected positive integers d,n1,...,nL,p (input dimension, at least one hidden width, output width), e.g. 2,4,4,1
    """
    try:
        return _validated(arch)
    except InputError as e:
        raise InputError(e.message, param=param) from None


def _validated(arch: Architecture | str | Sequence[int]) -> Architecture:
    if isinstance(arch, Architecture):
        return arch
    if isinstance(arch, str):
        parts = [s.strip() for s in arch.split(",")]
        nums = []
        for s in parts:
            if not re.fullmatch(r"[+-]?[0-9]+", s):  # ASCII digits: \d would take '١'
                raise _arch_error(arch, f"{s[:20]!r} is not an integer")
            if len(s.lstrip("+-")) > _MAX_DIGITS:
                raise _arch_error(arch, f"a number of {len(s.lstrip('+-'))} digits, more than "
                                        f"{_MAX_DIGITS}")
            nums.append(int(s))
    else:
        try:
            nums = list(arch)
        except TypeError:
            raise _arch_error(arch, "not a sequence of integers") from None
        for x in nums:
            if isinstance(x, bool) or not isinstance(x, int):
                raise _arch_error(arch, f"{repr(x)[:20]} is not an integer")
            if abs(x) >= 10 ** _MAX_DIGITS:
                raise _arch_error(arch, f"a number of more than {_MAX_DIGITS} digits")
    if len(nums) < 3:
        raise _arch_error(arch, f"needs at least 3 numbers, got {len(nums)}")
    bad = [x for x in nums if x < 1]
    if bad:
        shown = str(bad[0]) if bad[0] > -10 ** 20 else "a negative number"
        raise _arch_error(arch, f"{shown} is not positive")
    return Architecture(nums[0], tuple(nums[1:-1]), nums[-1])
