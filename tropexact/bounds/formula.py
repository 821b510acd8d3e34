r"""User bound formulas: a safe formula language in ``d, n1, ..., nL``, evaluated exactly.

A user may compare a network's region count with a bound of their own, written
as text such as ``"Sum(binomial(n1, j), (j, 0, d)) * (n2 + 1)"``.  The text never
reaches :func:`eval`: :func:`bound_expression` checks Python's syntax tree
against a whitelist (integers, the architecture symbols, ``+ - * / ** ^``, a few
functions, summation indices) before sympy parses it, with nothing evaluated at
parse time.  :func:`evaluate_expression` and :func:`evaluate_bound` then compute
the value with exact rationals, with limits on the size of intermediate numbers
and on the number of terms.

Exactness.  Values are Python integers and :class:`fractions.Fraction`; sums and
products are evaluated by explicit iteration.  sympy's own ``Sum.doit()`` is
*not* used: on Serra's nested sum it sums the inner binomial sum over a symbolic
limit in closed form and gets it wrong (sympy 1.14 returns 16 for the
architecture 2,2,2,1, where the true value is 11).

Examples
--------
>>> from tropexact.bounds.formula import evaluate_bound
>>> evaluate_bound("Sum(binomial(n1, j), (j, 0, d)) * (n2 + 1)", "2,3,3,1")
28
>>> evaluate_bound("serra2018", "1,2,2,1")
9
"""

from __future__ import annotations

import ast
import difflib
import math
import re
from fractions import Fraction
from typing import Any, Callable, Mapping, Sequence

import sympy as sp
from sympy.parsing.sympy_parser import auto_number, convert_xor, parse_expr

from tropexact.errors import InputError
from tropexact.exact.numbers import fmt_short
from tropexact.networks.architecture import Architecture, architecture

from .published import BOUND_FUNCTIONS, BOUND_NAMES, index_symbol, bound_symbols

__all__ = ["bound_expression", "evaluate_expression", "evaluate_bound"]


_FUNCS: dict[str, Callable[..., Any]] = {
    "binomial": lambda *a: sp.binomial(*a, evaluate=False),
    "floor": lambda *a: sp.floor(*a, evaluate=False),
    "factorial": lambda *a: sp.factorial(*a, evaluate=False),
    "Min": lambda *a: sp.Min(*a, evaluate=False),
    "Max": lambda *a: sp.Max(*a, evaluate=False),
    "Sum": sp.Sum,
    "Product": sp.Product,
}
_ARITY = {"binomial": (2, 2), "floor": (1, 1), "factorial": (1, 1), "Min": (1, None),
          "Max": (1, None), "Sum": (2, None), "Product": (2, None)}
_INDEX_RE = re.compile(r"[ijk][0-9]*")  # ASCII digits (\d takes 'j١')
_MAX_TEXT = 10_000
_MAX_DEPTH = 100             # nesting of the syntax tree (1+1+...+1 nests once per term)
_MAX_BITS = 1 << 23          # ~8 million bits: refuse to build larger intermediate numbers
_MAX_STEPS = 200_000         # summation/product terms per evaluation (~1 s)
_MAX_FACTORIAL = 100_000


def _quote(text: str, most: int = 60) -> str:
    """*text* quoted for a message, cut to about *most* characters (a formula may
    have 10,000)."""
    return repr(text) if len(text) <= most else f"{text[:most - 20]!r}...({len(text)} characters)"


def _expr_text(e: Any, most: int = 60) -> str:
    """A sympy expression (or any object) for a message, cut to *most* characters;
    str() of an integer beyond 4,300 digits raises, and then the expression is not shown."""
    try:
        text = str(e)
    except ValueError:
        return "(an expression with a number too long to show)"
    return text if len(text) <= most else text[:most - 3] + "..."


def _arch_text(a: Architecture) -> str:
    """The architecture ``d,n1,...,p`` for a message, huge widths by their size."""
    return ",".join(fmt_short(x) for x in a.as_list())


def _arch_names(L: int) -> list[str]:
    return ["d", *(f"n{l}" for l in range(1, L + 1))] + (["n"] if L == 1 else [])


def _allowed_text(L: int) -> str:
    names = ", ".join(_arch_names(L))
    return (f"allowed: the symbols {names}, integers, + - * / ** ^, the functions "
            f"{', '.join(_FUNCS)}, and summation indices i, j, k (optionally numbered, "
            f"e.g. j1)")


class _Checker(ast.NodeVisitor):
    """Whitelist the syntax tree of a formula before sympy ever sees it."""

    _BINOPS = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow, ast.BitXor)

    def __init__(self, text: str, L: int) -> None:
        self.text, self.L = text, L
        self.names = set(_arch_names(L))

    def fail(self, msg: str) -> InputError:
        return InputError(f"bound expression {_quote(self.text)}: {msg}")

    def generic_visit(self, node: ast.AST) -> None:
        raise self.fail(f"{type(node).__name__} syntax is not allowed "
                        f"({_allowed_text(self.L)})")

    def visit_Expression(self, node: ast.Expression) -> None:
        self.visit(node.body)

    def visit_BinOp(self, node: ast.BinOp) -> None:
        if not isinstance(node.op, self._BINOPS):
            sym = {ast.FloorDiv: "//", ast.Mod: "%"}.get(type(node.op), type(node.op).__name__)
            raise self.fail(f"operator {sym} is not allowed (use floor(a/b) for integer "
                            f"division)")
        self.visit(node.left)
        self.visit(node.right)

    def visit_UnaryOp(self, node: ast.UnaryOp) -> None:
        if not isinstance(node.op, (ast.UAdd, ast.USub)):
            raise self.fail(f"operator {type(node.op).__name__} is not allowed")
        self.visit(node.operand)

    def visit_Constant(self, node: ast.Constant) -> None:
        v = node.value
        if isinstance(v, bool) or not isinstance(v, int):
            if isinstance(v, float):
                literal = _expr_text(ast.get_source_segment(self.text, node))
                raise self.fail(f"floating-point number {literal}"
                                f" is not allowed (exact arithmetic only); write a fraction "
                                f"such as 3/2")
            raise self.fail(f"constant {_expr_text(repr(v))} is not allowed; only integers")

    def visit_Name(self, node: ast.Name) -> None:
        if node.id in _FUNCS:
            raise self.fail(f"{node.id} is a function; call it, e.g. {node.id}(...)")
        if node.id not in self.names and not _INDEX_RE.fullmatch(node.id):
            raise self.fail(f"unknown symbol {_quote(node.id)} ({_allowed_text(self.L)})")

    def visit_Attribute(self, node: ast.Attribute) -> None:
        raise self.fail(f"attribute access '.{node.attr}' is not allowed")

    def visit_Call(self, node: ast.Call) -> None:
        if isinstance(node.func, ast.Attribute):
            self.visit(node.func)            # refuses attribute access, naming it
        if not isinstance(node.func, ast.Name):
            raise self.fail("only calls of the allowed functions by name are allowed")
        name = node.func.id
        if name not in _FUNCS:
            raise self.fail(f"unknown function {_quote(name)} ({_allowed_text(self.L)})")
        if node.keywords:
            raise self.fail(f"{name}() takes no keyword arguments")
        lo, hi = _ARITY[name]
        if len(node.args) < lo or (hi is not None and len(node.args) > hi):
            raise self.fail(f"{name}() takes {lo if hi == lo else f'at least {lo}'} "
                            f"argument{'s' if lo > 1 else ''}, got {len(node.args)}")
        if name in ("Sum", "Product"):
            self.visit(node.args[0])
            for lim in node.args[1:]:
                if not (isinstance(lim, ast.Tuple) and len(lim.elts) == 3
                        and isinstance(lim.elts[0], ast.Name)
                        and _INDEX_RE.fullmatch(lim.elts[0].id)):
                    raise self.fail(f"{name}() limits must be (index, lower, upper) with an "
                                    f"index named i, j, k or j1, j2, ...; e.g. "
                                    f"{name}(binomial(n1, j), (j, 0, d))")
                self.visit(lim.elts[1])
                self.visit(lim.elts[2])
        else:
            for arg in node.args:
                if isinstance(arg, ast.Starred):
                    raise self.fail("*args are not allowed")
                self.visit(arg)


def _checked_tree(text: str, L: int) -> ast.Expression:
    """The syntax tree of *text*, refused unless :class:`_Checker` accepts it."""
    if not isinstance(text, str):
        raise InputError(f"bound expression must be text, got {type(text).__name__}")
    if len(text) > _MAX_TEXT:
        raise InputError(f"bound expression is too long ({len(text)} characters, at most "
                         f"{_MAX_TEXT})")
    if not text.strip():
        raise InputError("bound expression is empty")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except (RecursionError, MemoryError):
        raise InputError(f"bound expression {_quote(text)}: nested deeper than {_MAX_DEPTH} "
                         "levels (a sum of many terms nests once per term)") from None
    except SyntaxError as e:  # an integer literal beyond 4,300 digits is one too
        why = "an integer of more than 4300 digits" if "4300 digits" in str(e.msg) else \
            _expr_text(e.msg)
        raise InputError(f"bound expression {_quote(text)}: cannot parse ({why})") from None
    if _depth(tree) > _MAX_DEPTH:  # checking, parsing and evaluating recurse along it
        raise InputError(f"bound expression {_quote(text)}: nested deeper than {_MAX_DEPTH} "
                         "levels (a sum of many terms nests once per term)")
    _Checker(text.strip(), L).visit(tree)
    return tree


def _depth(tree: ast.AST) -> int:
    """The depth of a syntax tree, counted without recursion."""
    deepest, stack = 0, [(tree, 1)]
    while stack:
        node, k = stack.pop()
        deepest = max(deepest, k)
        stack.extend((child, k + 1) for child in ast.iter_child_nodes(node))
    return deepest


def bound_expression(text: str, L: int) -> sp.Expr:
    r"""Parse a user formula in ``d, n1, ..., nL`` safely into a sympy expression.

    The text is first parsed by Python's :mod:`ast` and checked against a whitelist
    — integers, the symbols ``d, n1, ..., nL`` (and ``n`` for ``n1`` when
    :math:`L = 1`), ``+ - * / ** ^``, the functions ``binomial``, ``floor``, ``Min``,
    ``Max``, ``Sum``, ``Product``, ``factorial``, and summation indices ``i``, ``j``,
    ``k`` (optionally numbered) bound by a ``Sum``/``Product`` — and only then handed
    to :func:`sympy.parsing.sympy_parser.parse_expr` with dictionaries holding
    exactly those names (no builtins) and ``evaluate=False``, so nothing is computed
    at parse time (``2**2**100`` is kept as written, not expanded).  Floats are
    refused: bounds are exact.

    Parameters
    ----------
    text : str
        The formula, e.g. ``"1 + n1 + n2"`` or ``"Sum(binomial(n1, j), (j, 0, d))"``.
    L : int
        The number of hidden layers (which ``n``-symbols exist).

    Returns
    -------
    sympy.Expr
        Unevaluated, in the symbols of :func:`bound_symbols`.

    Raises
    ------
    InputError
        Syntax errors, any name or construct outside the whitelist (the message names
        it), floats, an index used outside a ``Sum``/``Product``.

    Examples
    --------
    >>> bound_expression("1 + n1 + n2", 2)
    n1 + n2 + 1
    >>> bound_expression("Sum(binomial(n, j), (j, 0, d))", 1)
    Sum(binomial(n1, j), (j, 0, d))
    >>> bound_expression("__import__('os')", 2)
    Traceback (most recent call last):
    ...
    tropexact.errors.InputError: bound expression "__import__('os')": unknown function '__import__' (allowed: the symbols d, n1, n2, integers, + - * / ** ^, the functions binomial, floor, factorial, Min, Max, Sum, Product, and summation indices i, j, k (optionally numbered, e.g. j1))
    >>> bound_expression("1.5*d", 1)
    Traceback (most recent call last):
    ...
    tropexact.errors.InputError: bound expression '1.5*d': floating-point number 1.5 is not allowed (exact arithmetic only); write a fraction such as 3/2
    """
    d, ns = bound_symbols(L)
    tree = _checked_tree(text, L)
    local: dict[str, Any] = {"d": d, **{f"n{l + 1}": s for l, s in enumerate(ns)}, **_FUNCS}
    if L == 1:
        local["n"] = ns[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and _INDEX_RE.fullmatch(node.id):
            local[node.id] = index_symbol(node.id)
    glob = {"__builtins__": {}, "Integer": sp.Integer, "Rational": sp.Rational,
            "Add": sp.Add, "Mul": sp.Mul, "Pow": sp.Pow}
    try:
        expr = parse_expr(text.strip(), local_dict=local, global_dict=glob,
                          transformations=(auto_number, convert_xor), evaluate=False)
    except InputError:
        raise
    except Exception as e:  # sympy rejects e.g. Sum limits it cannot use
        raise InputError(f"bound expression {_quote(text)}: {type(e).__name__}: "
                         f"{_expr_text(e, 200)}") from None
    if not isinstance(expr, sp.Expr):
        raise InputError(f"bound expression {_quote(text)} is not a number-valued formula")
    allowed = {d, *ns}
    for s in sorted(expr.free_symbols - allowed, key=str):
        raise InputError(f"bound expression {_quote(text)}: index {s} is used outside a "
                         f"Sum/Product that binds it")
    return expr


def _as_int(x: Fraction, what: str) -> int:
    if x.denominator != 1:
        raise InputError(f"{what} must be an integer, got {fmt_short(x)}")
    return x.numerator


class _Evaluator:
    """Exact evaluation of a sympy formula by explicit iteration (no ``doit``)."""

    def __init__(self, env: Mapping[str, int]) -> None:
        self.env: dict[str, Fraction] = {k: Fraction(v) for k, v in env.items()}
        self.steps = 0

    def __call__(self, e: sp.Basic) -> Fraction:
        if e.is_Float:
            raise InputError(f"floating-point number {e} in a bound formula; bounds are exact")
        if e.is_Rational:
            return Fraction(int(e.p), int(e.q))
        if e.is_Symbol:
            try:
                return self.env[e.name]
            except KeyError:
                raise InputError(f"unknown symbol {_quote(e.name)} in bound formula (known: "
                                 f"{', '.join(sorted(self.env))})") from None
        if isinstance(e, sp.Add):
            return sum((self(a) for a in e.args), Fraction(0))
        if isinstance(e, sp.Mul):
            out = Fraction(1)
            for a in e.args:
                out *= self(a)
            return out
        if isinstance(e, sp.Pow):
            return self._pow(self(e.base), self(e.exp))
        if isinstance(e, sp.binomial):
            return Fraction(self._binomial(_as_int(self(e.args[0]), "binomial's n"),
                                           _as_int(self(e.args[1]), "binomial's k")))
        if isinstance(e, sp.factorial):
            n = _as_int(self(e.args[0]), "factorial's argument")
            if n < 0 or n > _MAX_FACTORIAL:
                raise InputError(f"factorial({fmt_short(n)}) is out of range 0..{_MAX_FACTORIAL}")
            return Fraction(math.factorial(n))
        if isinstance(e, sp.floor):
            return Fraction(math.floor(self(e.args[0])))
        if isinstance(e, sp.ceiling):
            return Fraction(math.ceil(self(e.args[0])))
        if isinstance(e, sp.Min):
            return min(self(a) for a in e.args)
        if isinstance(e, sp.Max):
            return max(self(a) for a in e.args)
        if isinstance(e, (sp.Sum, sp.Product)):
            return self._big(e)
        raise InputError(f"cannot evaluate {type(e).__name__} exactly in a bound formula: "
                         f"{_expr_text(e)}")

    def _pow(self, b: Fraction, x: Fraction) -> Fraction:
        k = _as_int(x, "an exponent")
        if b == 0 and k < 0:
            raise InputError("division by zero (0 to a negative power) in a bound formula")
        if abs(b) != 1 and b != 0:
            bits = abs(k) * max(abs(b.numerator).bit_length(), b.denominator.bit_length())
            if bits > _MAX_BITS:
                raise InputError(f"a power in the bound formula has about {fmt_short(bits)} bits; "
                                 f"refusing numbers above {_MAX_BITS} bits")
        return b ** k

    @staticmethod
    def _binomial(n: int, k: int) -> int:
        if k < 0:
            return 0
        if n >= 0:
            if k > n:
                return 0
            k = min(k, n - k)
            if k * max(n.bit_length(), 1) > _MAX_BITS:
                raise InputError(f"binomial({fmt_short(n)}, {fmt_short(k)}) is too large to evaluate")
            return math.comb(n, k)
        # generalised binomial for n < 0 (sympy's convention): (-1)^k C(k - n - 1, k)
        return (-1) ** k * _Evaluator._binomial(k - n - 1, k)

    def _big(self, e: sp.Sum | sp.Product) -> Fraction:
        is_sum = isinstance(e, sp.Sum)
        limits = list(e.limits)          # innermost first
        for lim in limits:
            if len(lim) != 3:
                raise InputError(f"{type(e).__name__} limit {_expr_text(lim)} needs (index, lower, "
                                 "upper)")

        def rec(k: int) -> Fraction:   # k indexes limits from the outermost (last)
            if k < 0:
                self.steps += 1
                if self.steps > _MAX_STEPS:
                    raise InputError(f"bound formula needs more than {_MAX_STEPS} terms; "
                                     f"too expensive to evaluate")
                return self(e.function)
            var, lo, hi = limits[k]
            lo_i = _as_int(self(lo), f"the lower limit of {var}")
            hi_i = _as_int(self(hi), f"the upper limit of {var}")
            if hi_i - lo_i + 1 > _MAX_STEPS:
                raise InputError(f"{var} runs over {fmt_short(hi_i - lo_i + 1)} values; more than "
                                 f"{_MAX_STEPS} terms is too expensive to evaluate")
            saved = self.env.get(var.name)
            acc = Fraction(0) if is_sum else Fraction(1)
            try:
                for v in range(lo_i, hi_i + 1):   # an empty range gives 0 (sum) or 1 (product)
                    self.env[var.name] = Fraction(v)
                    if is_sum:
                        acc += rec(k - 1)
                    else:
                        acc *= rec(k - 1)
            finally:
                if saved is None:
                    self.env.pop(var.name, None)
                else:
                    self.env[var.name] = saved
            return acc

        return rec(len(limits) - 1)


def evaluate_expression(expr: sp.Expr, arch: Architecture | str | Sequence[int]) -> Fraction:
    """Evaluate a formula in ``d, n1, ..., nL`` exactly at an architecture.

    Sums and products are expanded term by term (an empty range, upper < lower,
    contributes 0 to a sum and 1 to a product: the combinatorial convention, not
    sympy's Karr convention); ``binomial(n, k)`` is 0 for ``k < 0`` or ``k > n >= 0``.

    Returns
    -------
    fractions.Fraction
        The exact value (not necessarily an integer).

    Examples
    --------
    >>> d, (n1, n2) = bound_symbols(2)
    >>> evaluate_expression((n1 + n2) / d, "4,3,2,1")
    Fraction(5, 4)
    """
    a = architecture(arch)
    env = {"d": a.input_dim, **{f"n{l}": n for l, n in enumerate(a.widths, 1)}}
    if a.L == 1:
        env["n"] = a.widths[0]
    unknown = sorted({s.name for s in expr.free_symbols} - set(env))
    if unknown:
        raise InputError(f"unknown symbol {_quote(unknown[0])} in bound formula for architecture "
                         f"{_arch_text(a)} (known: {', '.join(sorted(env))})")
    return _Evaluator(env)(sp.sympify(expr))


def evaluate_bound(bound: str | sp.Expr, arch: Architecture | str | Sequence[int]) -> int:
    """The exact integer value of a named bound or of a user formula at an architecture.

    Parameters
    ----------
    bound : str or sympy.Expr
        A name from :data:`BOUND_NAMES`, or a formula (text, parsed with
        :func:`bound_expression`, or a sympy expression) in ``d, n1, ..., nL``.
    arch : Architecture, str or sequence of int
        ``(d, n_1, ..., n_L, p)``.

    Returns
    -------
    int

    Raises
    ------
    InputError
        A named bound whose hypotheses fail (the message says which), a formula that
        does not parse or uses unknown names, or a value that is not an integer.

    Examples
    --------
    >>> evaluate_bound("zhang2018", "3,4,4,4,1")
    3375
    >>> evaluate_bound("1 + n1 + n2", (1, 3, 3, 1))
    7
    >>> evaluate_bound("d/2", "3,1,1")
    Traceback (most recent call last):
    ...
    tropexact.errors.InputError: bound formula 'd/2' at architecture 3,1,1 is 3/2, not an integer
    >>> evaluate_bound("serra2018_lower", "2,4,4,1")
    Traceback (most recent call last):
    ...
    tropexact.errors.InputError: bound serra2018_lower is not applicable to architecture 2,4,4,1: needs n_l >= 3d for every hidden layer l = 1..L (Serra et al. 2018); fails: n1 = 4 < 3d = 6, n2 = 4 < 3d = 6
    """
    a = architecture(arch)
    if isinstance(bound, str) and bound.strip() in BOUND_FUNCTIONS:
        b = BOUND_FUNCTIONS[bound.strip()](a)
        if not b.applicable or b.value is None:
            raise InputError(f"bound {b.name} is not applicable to architecture {_arch_text(a)}: "
                             f"{b.hypotheses}")
        return b.value
    if isinstance(bound, str):
        text = bound.strip()
        if text.isidentifier() and not re.fullmatch(r"d|n[0-9]*", text):
            close = difflib.get_close_matches(text, BOUND_NAMES, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise InputError(f"unknown bound {_quote(text)}: give a name ({', '.join(BOUND_NAMES)}) "
                             f"or a formula in d, n1, ..., nL{hint}")
        expr = bound_expression(bound, a.L)
        shown = text
    elif isinstance(bound, sp.Basic):
        expr, shown = bound, _expr_text(bound, 10 ** 9)
    else:
        raise InputError(f"a bound is a name ({', '.join(BOUND_NAMES)}) or a formula, got "
                         f"{type(bound).__name__}")
    value = evaluate_expression(expr, a)
    if value.denominator != 1:
        raise InputError(f"bound formula {_quote(shown)} at architecture {_arch_text(a)} is "
                         f"{fmt_short(value)}, not an integer")
    return value.numerator

