"""Exact rationals: the one place that decides what a number is.

tropexact computes on :class:`gmpy2.mpq` only.  This module owns the type
(:data:`Q`), parsing of user-supplied numbers and the rule for binary floats.

The rules (docs/design.md §5)
-----------------------------
* ``int``, :class:`fractions.Fraction`, :class:`decimal.Decimal` (finite) and
  ``mpq``/``mpz`` convert exactly.
* A string is ``"p/q"``, an integer (``"-3"``) or a decimal, possibly with an
  exponent (``"0.125"``, ``"1e-3"``), read exactly: ``"0.1"`` is 1/10.
* ``bool``, ``None``, ``""``, NaN and infinities are refused.
* A binary ``float`` is refused unless the caller passes ``allow_float=True``;
  then it becomes the exact rational it denotes (``0.1`` becomes
  3602879701896397/36028797018963968), never a rounding.  Callers that want a
  rounding ask for it explicitly with :func:`limit_denominator`.
* In JSON, a decimal literal such as ``0.1`` is read from its *text*
  (see :func:`tropexact.networks.files.loads_exact`), so it means 1/10.

Examples
--------
>>> to_rational("3/6"), to_rational("-0.125"), to_rational("1e-3"), to_rational(7)
(mpq(1,2), mpq(-1,8), mpq(1,1000), mpq(7,1))
>>> to_rational(0.5)
Traceback (most recent call last):
...
tropexact.errors.InputError: binary float 0.5 refused: pass a string such as '0.5' or a Fraction, or convert with allow_float=True (exact binary value)
>>> to_rational(0.1, allow_float=True)
mpq(3602879701896397,36028797018963968)
>>> fmt(to_rational("-6/4")), fmt(to_rational(5))
('-3/2', '5')
"""

from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any, Iterable

import gmpy2

from tropexact.errors import InputError

from .limits import limit

__all__ = [
    "Q",
    "ZERO",
    "ONE",
    "is_rational",
    "to_rational",
    "parse_number",
    "fmt",
    "fmt_short",
    "quoted",
    "fmt_vector",
    "plural",
    "to_fraction",
    "from_fraction",
    "vector",
    "limit_denominator",
]

Q = gmpy2.mpq
_MPQ = type(gmpy2.mpq(0))
_MPZ = type(gmpy2.mpz(0))
ZERO = Q(0)
ONE = Q(1)

# ASCII digits only: \d, int(), Decimal() and gmpy2 would each take (or refuse) other
# scripts' digits ('١' is 1 to int and Decimal) in their own way
_INT_RE = re.compile(r"[+-]?[0-9]+\Z")
_FRAC_RE = re.compile(r"([+-]?[0-9]+)/([0-9]+)\Z")
_DEC_RE = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?\Z")


def is_rational(x: Any) -> bool:
    """True when *x* is already the canonical rational type ``mpq``."""
    return type(x) is _MPQ


def parse_number(text: str) -> Any:
    """Parse a number string exactly (``"p/q"``, integer, decimal, exponent).

    Leading and trailing blanks are not allowed: the string is the number.

    Examples
    --------
    >>> parse_number("-4/6"), parse_number("2.50"), parse_number("-1E2")
    (mpq(-2,3), mpq(5,2), mpq(-100,1))
    >>> parse_number("1/0")
    Traceback (most recent call last):
    ...
    tropexact.errors.InputError: zero denominator in '1/0'
    """
    if not isinstance(text, str):
        raise InputError(f"expected a number string, got {type(text).__name__}")
    if _INT_RE.match(text):
        _check_digits(text, len(text))
        return Q(gmpy2.mpz(text))
    m = _FRAC_RE.match(text)
    if m:
        _check_digits(text, len(text))
        num, den = gmpy2.mpz(m.group(1)), gmpy2.mpz(m.group(2))
        if den == 0:
            raise InputError(f"zero denominator in {quoted(text)}")
        return Q(num, den)
    if _DEC_RE.match(text):
        try:
            d = Decimal(text)
        except InvalidOperation:  # an exponent beyond Decimal's range, about ±10^18
            raise InputError(f"number {quoted(text)} has an exponent beyond 10^18, over the limit "
                             f"of {limit('digits')} digits (TROPEXACT_MAX_DIGITS)") from None
        # Decimal -> Fraction is exact; the value's size is its digits plus |exponent|
        _, digits, exp = d.as_tuple()
        _check_digits(text, len(digits) + (abs(exp) if isinstance(exp, int) else 0))
        return from_fraction(Fraction(d))
    if text == "":
        raise InputError("expected a number, got an empty string")
    raise InputError(f"expected a number, got {quoted(text)}")


def quoted(text: str, most: int = 40) -> str:
    """*text* quoted for a message, cut when longer than *most* characters (a
    100,000-digit number is not an error message).

    Examples
    --------
    >>> quoted("1/2"), quoted("9" * 1000)
    ("'1/2'", "'99999999999999999999'...(1000 characters)")
    """
    return repr(text) if len(text) <= most else f"{text[:most // 2]!r}...({len(text)} characters)"


def _check_digits(text: str, size: int) -> None:
    """Refuse a number whose exact value needs more than the digit limit."""
    most = limit("digits")
    if size > most:
        raise InputError(f"number {quoted(text)} has about {size} digits, over the limit of "
                         f"{most} (TROPEXACT_MAX_DIGITS)")


def to_rational(x: Any, *, allow_float: bool = False) -> Any:
    """Convert *x* to an exact ``mpq`` by the rules in the module docstring.

    Raises
    ------
    InputError
        For bool, None, NaN, infinities, unparsable strings, refused floats.
    """
    t = type(x)
    if t is _MPQ:
        return x
    if t is bool or x is None:
        raise InputError(f"expected a number, got {x!r}")
    if t is int or t is _MPZ:
        return Q(x)
    if isinstance(x, Fraction):
        return Q(x.numerator, x.denominator)
    if isinstance(x, str):
        return parse_number(x)
    if isinstance(x, float):
        if not math.isfinite(x):
            raise InputError(f"expected a finite number, got {x!r}")
        if not allow_float:
            raise InputError(
                f"binary float {x!r} refused: pass a string such as '{x!r}' or a "
                "Fraction, or convert with allow_float=True (exact binary value)"
            )
        n, d = x.as_integer_ratio()
        return Q(n, d)
    if isinstance(x, Decimal):
        if not x.is_finite():
            raise InputError(f"expected a finite number, got {x!r}")
        return from_fraction(Fraction(x))
    if isinstance(x, int):  # int subclasses (IntEnum, ...)
        return Q(int(x))
    # Other numeric scalars (e.g. numpy): binary floats by the float rule,
    # anything with numerator/denominator (numpy integers, rationals) exactly.
    if hasattr(x, "is_integer") and hasattr(x, "__float__") and not hasattr(x, "denominator"):
        return to_rational(float(x), allow_float=allow_float)
    if hasattr(x, "numerator") and hasattr(x, "denominator"):
        try:
            return Q(int(x.numerator), int(x.denominator))
        except (TypeError, ValueError, ZeroDivisionError, InvalidOperation) as exc:
            raise InputError(f"expected a number, got {x!r}") from exc
    raise InputError(f"expected a number, got {x!r}")


def from_fraction(f: Fraction) -> Any:
    """Exact :class:`~fractions.Fraction` → ``mpq`` (the cdd boundary)."""
    return Q(f.numerator, f.denominator)


def to_fraction(q: Any) -> Fraction:
    """Exact ``mpq`` → :class:`~fractions.Fraction` (the cdd boundary)."""
    return Fraction(int(q.numerator), int(q.denominator))


def fmt(q: Any) -> str:
    """Render a rational as ``"p"`` or ``"p/q"`` (the JSON number format)."""
    q = to_rational(q)  # gmpy2 prints integers of any size (Python's str(int) stops at 4,300 digits)
    if q.denominator == 1:
        return str(q.numerator)
    return f"{q.numerator}/{q.denominator}"


def fmt_short(x: Any, most: int = 40) -> str:
    """A number for a message: :func:`fmt` of it when that has at most *most*
    characters, else its size, ``"<a number of about N digits>"`` (an error message
    is one short line, and Python's ``str`` of an int stops at 4,300 digits).

    Parameters
    ----------
    x : int, Fraction, mpq, mpz, ...
        Any exact number :func:`to_rational` accepts.
    most : int
        The longest text shown as it is.

    Examples
    --------
    >>> fmt_short(-3), fmt_short(Fraction(1, 3)), fmt_short(10 ** 100)
    ('-3', '1/3', '<a number of about 101 digits>')
    """
    q = to_rational(x)
    digits = [int(n).bit_length() * 30103 // 100000 + 1 for n in (abs(q.numerator), q.denominator)]
    size = digits[0] + (digits[1] if q.denominator != 1 else 0)  # within one of the exact count
    if size <= most + 2:
        text = fmt(q)
        if len(text) <= most:
            return text
    return f"<a number of about {size} digits>"


def fmt_vector(v: Iterable[Any]) -> str:
    """Render a vector of rationals as ``"(p, p/q, ...)"``.

    Examples
    --------
    >>> fmt_vector([Q(1, 2), 3])
    '(1/2, 3)'
    """
    return "(" + ", ".join(fmt(x) for x in v) + ")"


def plural(n: int, word: str, many: str | None = None) -> str:
    """``"1 edge"``, ``"2 edges"``; *many* for irregular plurals.

    Examples
    --------
    >>> plural(1, "vertex", "vertices"), plural(3, "vertex", "vertices"), plural(0, "piece")
    ('1 vertex', '3 vertices', '0 pieces')
    """
    return f"{n} {word if n == 1 else many or word + 's'}"


def vector(xs: Iterable[Any], *, allow_float: bool = False) -> tuple:
    """Convert an iterable of numbers to a tuple of ``mpq``."""
    return tuple(to_rational(x, allow_float=allow_float) for x in xs)


def limit_denominator(x: Any, max_denominator: int) -> Any:
    """The closest rational with denominator ≤ *max_denominator* (explicit rounding).

    This is the only rounding in tropexact, and it happens only when asked.

    Examples
    --------
    >>> limit_denominator(0.1, 1000)
    mpq(1,10)
    """
    if max_denominator < 1:
        raise InputError(f"max_denominator={max_denominator!r} must be >= 1")
    q = to_rational(x, allow_float=True)
    return from_fraction(to_fraction(q).limit_denominator(max_denominator))
