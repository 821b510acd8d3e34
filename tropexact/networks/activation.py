"""Activation functions as a small typed value.

A layer computes σ(A x + b) coordinatewise with σ one of

* :attr:`Activation.RELU`: σ(z) = max(z, t) with a threshold t (default 0);
* :attr:`Activation.IDENTITY`: σ(z) = z (a linear layer, e.g. the output);
* :attr:`Activation.LEAKY_RELU`: σ(z) = max(z, a z) with a slope 0 < a < 1;
* :attr:`Activation.MAXOUT`: unit j outputs max(z_{jk}, …, z_{jk+k−1}), the maximum
  of k consecutive pre-activations (k = the layer's ``pieces``); max-pooling is a
  maxout whose rows are 0/1 selections.

Only maxout is not coordinatewise: its layer has k rows per output unit.
The members are strings too (``Activation.RELU == "relu"``), which is how they
appear in network files (docs/design.md §5); code compares members, never
spelled-out strings.  The parameters (threshold, slope) stay on the layer.

Examples
--------
>>> Activation.parse("leaky_relu"), Activation.RELU.is_linear, Activation.IDENTITY.is_linear
(<Activation.LEAKY_RELU: 'leaky_relu'>, False, True)
>>> Activation.parse("relu6")
Traceback (most recent call last):
...
tropexact.errors.InputError: unknown activation 'relu6'; did you mean 'relu'?
"""

from __future__ import annotations

import difflib
import enum
from typing import Any

from tropexact.errors import InputError

__all__ = ["Activation"]


class Activation(str, enum.Enum):
    """The activation of a layer: ``relu``, ``identity``, ``leaky_relu`` or ``maxout``."""

    RELU = "relu"
    IDENTITY = "identity"
    LEAKY_RELU = "leaky_relu"
    MAXOUT = "maxout"

    def __str__(self) -> str:
        return self.value

    @property
    def is_linear(self) -> bool:
        """True for the identity, which splits no region."""
        return self is Activation.IDENTITY

    @classmethod
    def parse(cls, name: Any, where: str | None = None) -> "Activation":
        """The member named *name*; an :class:`~tropexact.errors.InputError` with a
        suggestion otherwise."""
        try:
            return cls(name)
        except ValueError:
            pass
        known = [a.value for a in cls]
        close = difflib.get_close_matches(str(name), known, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else f" (known: {', '.join(known)})"
        raise InputError(f"unknown activation {name!r}{hint}", where=where) from None
